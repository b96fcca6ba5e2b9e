/* soak-faults.c: random faults at random points, several per run (issue 19)
 *
 *   soak-faults SEED N [RUN]
 *
 * N runs, each a flash of a practice drive (one of the fault matrix's, picked
 * at random) with one to three faults armed at random commands. A fault
 * fires in whichever reflash-cli process first reaches its command number,
 * so a later one often lands in the resume or recover after an earlier one: a
 * power cut during the resume of a power cut. After each run reflash-cli alone
 * (resume or recover, as often as faults were armed, plus one) must leave the
 * drive running the new image or as it was found, with the same checks as the
 * matrix (tests/rf-test-fault-rig.c). Everything random comes from SEED, drawn
 * before any run starts, so `soak-faults SEED N` replays a failure exactly, and
 * `soak-faults SEED N RUN` replays only run RUN of them (with REFLASH_FAULTS_KEEP
 * set, its folder is kept).
 *
 * Not part of the test suites: it prints figures and exits 1 when a drive
 * was not recovered or data was lost.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdio.h>
#include <stdlib.h>

#include "rf-test-fault-rig.h"

#define MAX_FAULTS 3

static const char *const scenarios[] = {
  "healthy-3550", "seed", "spc-generic", "spc-single", "spc-deferred",
};

static const RfSimFaultKind kinds[] = {
  RF_SIM_FAULT_POWER_LOSS,
  RF_SIM_FAULT_KILLED,
  RF_SIM_FAULT_TIMEOUT,
  RF_SIM_FAULT_VANISH,
  RF_SIM_FAULT_TRANSPORT_ERROR,
  RF_SIM_FAULT_LOST_STATUS,
  RF_SIM_FAULT_UNIT_ATTENTION_STORM,
  RF_SIM_FAULT_INVALID_OPCODE,
  RF_SIM_FAULT_INVALID_FIELD,
  RF_SIM_FAULT_WRITE_FAILURE,
  RF_SIM_FAULT_SILENT_FLASH,
};

typedef struct {
  guint index;
  RfTestFaultRig *rig;
  RfTestFault faults[MAX_FAULTS];
  guint n_faults;
  RfTestFaultResult result;
} SoakRun;

static void
draw_fault (GRand          *rand,
            RfTestFaultRig *rig,
            RfTestFault    *fault)
{
  GPtrArray *census = rf_test_fault_rig_get_census (rig);

  fault->kind = kinds[g_rand_int_range (rand, 0, G_N_ELEMENTS (kinds))];
  /* A little past the flash's last command, so that some fire only in the
   * longer runs that recover. */
  fault->command = (guint) g_rand_int_range (rand, 1, (gint32) (census->len + census->len / 4));
  fault->byte_offset = -1;
  if ((fault->kind == RF_SIM_FAULT_POWER_LOSS || fault->kind == RF_SIM_FAULT_KILLED) &&
      g_rand_boolean (rand))
    fault->byte_offset = g_rand_int_range (rand, 0, 0x10000);
}

static void
run_one (gpointer data,
         gpointer user_data)
{
  SoakRun *run = data;

  rf_test_fault_rig_run (run->rig, run->faults, run->n_faults, run->n_faults + 1, &run->result);
}

static void
print_failure (guint64        seed,
               const SoakRun *run)
{
  g_autoptr(GString) faults = g_string_new (NULL);

  for (guint i = 0; i < run->n_faults; i++)
    {
      g_autofree char *fault = rf_test_fault_describe (&run->faults[i]);

      g_string_append_printf (faults, "%s%s", i > 0 ? "; " : "", fault);
    }
  printf ("NOT RECOVERED: run %u of seed %" G_GUINT64_FORMAT " on %s (%s): %s\n", run->index,
          seed, rf_test_fault_rig_get_scenario (run->rig), faults->str,
          run->result.problem != NULL ? run->result.problem : "the drive was not brought back");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) rigs = g_ptr_array_new_with_free_func ((GDestroyNotify) rf_test_fault_rig_free);
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree SoakRun *runs = NULL;
  GThreadPool *pool;
  guint64 seed;
  guint n_runs;
  guint armed = 0, fired = 0, flashed = 0, unchanged = 0, lost = 0, failed = 0;
  gint64 start;
  gint64 only;

  if (argc != 3 && argc != 4)
    {
      fprintf (stderr, "Usage: %s SEED N [RUN]\n", argv[0]);
      return 2;
    }
  if (g_getenv ("REFLASH_DATA_DIR") == NULL)
    g_setenv ("REFLASH_DATA_DIR", RF_SOURCE_DATA_DIR, TRUE);
  seed = g_ascii_strtoull (argv[1], NULL, 10);
  n_runs = (guint) g_ascii_strtoull (argv[2], NULL, 10);
  only = argc == 4 ? (gint64) g_ascii_strtoull (argv[3], NULL, 10) : -1;
  printf ("seed %" G_GUINT64_FORMAT ", %u runs (replay: soak-faults %" G_GUINT64_FORMAT " %u)\n",
          seed, n_runs, seed, n_runs);
  fflush (stdout);

  for (gsize i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      RfTestFaultRig *rig = rf_test_fault_rig_new (RF_REFLASH_CLI, scenarios[i], &error);

      if (rig == NULL)
        {
          fprintf (stderr, "%s: %s\n", scenarios[i], error->message);
          return 1;
        }
      g_ptr_array_add (rigs, rig);
    }

  /* Everything random is drawn here, in order, before any run starts. */
  rand = g_rand_new_with_seed ((guint32) (seed ^ (seed >> 32)));
  runs = g_new0 (SoakRun, n_runs);
  for (guint i = 0; i < n_runs; i++)
    {
      runs[i].index = i;
      runs[i].rig = g_ptr_array_index (rigs, g_rand_int_range (rand, 0, (gint32) rigs->len));
      runs[i].n_faults = (guint) g_rand_int_range (rand, 1, MAX_FAULTS + 1);
      for (guint f = 0; f < runs[i].n_faults; f++)
        draw_fault (rand, runs[i].rig, &runs[i].faults[f]);
    }

  start = g_get_monotonic_time ();
  pool = g_thread_pool_new (run_one, NULL, (int) MAX (2, g_get_num_processors ()), TRUE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n_runs; i++)
    if (only < 0 || (guint) only == i)
      g_thread_pool_push (pool, &runs[i], NULL);
  g_thread_pool_free (pool, FALSE, TRUE);

  for (guint i = 0; i < n_runs; i++)
    {
      if (only >= 0 && (guint) only != i)
        continue;
      armed += runs[i].n_faults;
      fired += runs[i].result.fired;
      lost += runs[i].result.data_lost;
      if (runs[i].result.outcome == RF_TEST_FAULT_FLASHED)
        flashed++;
      else if (runs[i].result.outcome == RF_TEST_FAULT_UNCHANGED)
        unchanged++;
      else
        {
          failed++;
          print_failure (seed, &runs[i]);
        }
      rf_test_fault_result_clear (&runs[i].result);
    }
  printf ("soak: seed %" G_GUINT64_FORMAT ": %u runs, %u faults armed, %u injected (fired), "
          "%u drives recovered (%u with the new image, %u unchanged), %u not recovered, "
          "%u data lost, %.1f s\n",
          seed, n_runs, armed, fired, flashed + unchanged, flashed, unchanged, failed, lost,
          (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC);
  return failed > 0 || lost > 0 ? 1 : 0;
}
