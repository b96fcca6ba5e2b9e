/* test-faults.c: the fault matrix (issue 19)
 *
 * For the NEC drives (one found working, the seed found in safe mode) and a
 * drive of each SPC variant: every phase of a flash, and inside the upload,
 * erase and program at least 8 evenly spread commands plus the first and the
 * last, each hit by every fault a person can suffer: a power cut, a SIGKILL of
 * reflash-cli, a drive that stops answering, a connection that drops, a
 * transport error, a lost status, a refused vendor command, a storm of UNIT
 * ATTENTIONs, and where the drive writes its memory a write failure and a
 * silent flash. After each, `reflash-cli resume` (a journal is open) or
 * `reflash-cli recover` (none is, and the drive needs firmware) must leave the
 * drive running the new image byte for byte, or as it was found; every backup
 * loading and matching its SHA-256; no lock held; no temporary file; no
 * journal open (tests/rf-test-fault-rig.c).
 *
 * The practice drives run at speed 0, so nothing sleeps. The points run in as
 * many threads as there are processors; each has a folder of its own.
 * REFLASH_FAULTS_STRIDE=N runs every N-th point (the sanitizer build runs
 * every fourth); REFLASH_FAULTS_KEEP keeps the folders of failed points.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "rf-test-fault-rig.h"

#ifndef RF_FAULTS_STRIDE
#define RF_FAULTS_STRIDE 1
#endif

/* Fewer fault points than this in the whole matrix is not the matrix. */
#define MIN_POINTS 400

/* Evenly spread commands inside these phases, first and last included. */
#define DENSE_POINTS 10

typedef struct {
  const char *scenario;
  const char *label;
} Drive;

static const Drive drives[] = {
  { "healthy-3550", "nec-2m, found working (healthy-3550)" },
  { "seed", "nec-2m, found in safe mode (seed)" },
  { "spc-generic", "spc-download, offsets + save (spc-generic)" },
  { "spc-single", "spc-download, single command (spc-single)" },
  { "spc-deferred", "spc-download, deferred (spc-deferred)" },
};

/* Faults every command can suffer. */
static const RfSimFaultKind every_command[] = {
  RF_SIM_FAULT_POWER_LOSS,
  RF_SIM_FAULT_KILLED,
  RF_SIM_FAULT_TIMEOUT,
  RF_SIM_FAULT_VANISH,
  RF_SIM_FAULT_TRANSPORT_ERROR,
  RF_SIM_FAULT_LOST_STATUS,
  RF_SIM_FAULT_UNIT_ATTENTION_STORM,
};

/* Faults only a command that writes the drive's memory can suffer. */
static const RfSimFaultKind saving_command[] = {
  RF_SIM_FAULT_WRITE_FAILURE,
  RF_SIM_FAULT_SILENT_FLASH,
};

typedef struct {
  guint injected;
  guint flashed;
  guint unchanged;       /* before the point of no return */
  guint not_applied;     /* after it, the drive kept its old firmware */
  guint not_recovered;
  guint data_lost;
} Tally;

static const char *cli_path;
static guint stride = RF_FAULTS_STRIDE;
static Tally total;

typedef struct {
  RfTestFaultRig *rig;
  RfTestFault fault;
  RfTestFaultResult result;
} Point;

static void
point_free (gpointer data)
{
  Point *point = data;

  rf_test_fault_result_clear (&point->result);
  g_free (point);
}

static gboolean
is_dense (const char *phase)
{
  return g_str_equal (phase, "upload") || g_str_equal (phase, "erase") ||
         g_str_equal (phase, "program");
}

/* The commands of @phase the matrix hits: in the dense phases the first, the
 * last and evenly spread ones between, DENSE_POINTS in all; elsewhere the
 * first, the middle and the last. */
static GPtrArray *
pick_commands (GPtrArray  *census,
               const char *phase)
{
  g_autoptr(GPtrArray) in_phase = g_ptr_array_new ();
  GPtrArray *picked = g_ptr_array_new ();
  guint wanted;

  for (guint i = 0; i < census->len; i++)
    {
      RfTestFaultCommand *command = g_ptr_array_index (census, i);

      if (g_str_equal (command->phase, phase))
        g_ptr_array_add (in_phase, command);
    }
  wanted = is_dense (phase) ? DENSE_POINTS : 3;
  for (guint k = 0; k < wanted && in_phase->len > 0; k++)
    {
      guint index = (guint) ((k * (guint64) (in_phase->len - 1) + (wanted - 1) / 2) / (wanted - 1));
      gpointer command = g_ptr_array_index (in_phase, index);

      if (picked->len == 0 || g_ptr_array_index (picked, picked->len - 1) != command)
        g_ptr_array_add (picked, command);
    }
  return picked;
}

/* The phases of the census, in their order. */
static GPtrArray *
list_phases (GPtrArray *census)
{
  GPtrArray *phases = g_ptr_array_new ();

  for (guint i = 0; i < census->len; i++)
    {
      RfTestFaultCommand *command = g_ptr_array_index (census, i);

      if (phases->len == 0 || !g_str_equal (g_ptr_array_index (phases, phases->len - 1),
                                            command->phase))
        g_ptr_array_add (phases, command->phase);
    }
  return phases;
}

/* A power cut or a kill in an erase, a program or a save stops it half-way. */
static gint64
byte_offset_for (RfTestFaultRig           *rig,
                 const RfTestFaultCommand *command,
                 RfSimFaultKind            kind)
{
  if (kind != RF_SIM_FAULT_POWER_LOSS && kind != RF_SIM_FAULT_KILLED)
    return -1;
  if (command->sim_phase == RF_SIM_PHASE_ERASE || command->sim_phase == RF_SIM_PHASE_PROGRAM)
    return 0x2000;
  return rf_test_fault_rig_is_save (rig, command) ? 0 : -1;
}

static void
add_point (GPtrArray                *points,
           RfTestFaultRig           *rig,
           const RfTestFaultCommand *command,
           RfSimFaultKind            kind)
{
  Point *point = g_new0 (Point, 1);

  point->rig = rig;
  point->fault = (RfTestFault) {
    .kind = kind,
    .command = command->number,
    .byte_offset = byte_offset_for (rig, command, kind),
  };
  g_ptr_array_add (points, point);
}

/* Every fault at every picked command. */
static GPtrArray *
make_points (RfTestFaultRig *rig)
{
  GPtrArray *census = rf_test_fault_rig_get_census (rig);
  g_autoptr(GPtrArray) phases = list_phases (census);
  GPtrArray *points = g_ptr_array_new_with_free_func (point_free);

  for (guint p = 0; p < phases->len; p++)
    {
      g_autoptr(GPtrArray) commands = pick_commands (census, g_ptr_array_index (phases, p));

      for (guint c = 0; c < commands->len; c++)
        {
          const RfTestFaultCommand *command = g_ptr_array_index (commands, c);

          for (gsize k = 0; k < G_N_ELEMENTS (every_command); k++)
            add_point (points, rig, command, every_command[k]);
          /* A vendor command refused mid-run; a query refused is not one. */
          if (command->sim_phase != RF_SIM_PHASE_QUERY)
            add_point (points, rig, command,
                       command->number % 2 ? RF_SIM_FAULT_INVALID_FIELD
                                           : RF_SIM_FAULT_INVALID_OPCODE);
          if (rf_test_fault_rig_is_save (rig, command))
            for (gsize k = 0; k < G_N_ELEMENTS (saving_command); k++)
              add_point (points, rig, command, saving_command[k]);
        }
    }
  return points;
}

static void
run_point (gpointer data,
           gpointer user_data)
{
  Point *point = data;

  rf_test_fault_rig_run (point->rig, &point->fault, 1, 1, &point->result);
}

static void
run_points (GPtrArray *points)
{
  g_autoptr(GError) error = NULL;
  GThreadPool *pool = g_thread_pool_new (run_point, NULL, (int) MAX (2, g_get_num_processors ()),
                                         TRUE, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < points->len; i += stride)
    {
      g_thread_pool_push (pool, g_ptr_array_index (points, i), &error);
      g_assert_no_error (error);
    }
  g_thread_pool_free (pool, FALSE, TRUE);
}

static const char *
phase_of (RfTestFaultRig *rig,
          guint           number)
{
  GPtrArray *census = rf_test_fault_rig_get_census (rig);
  RfTestFaultCommand *command = g_ptr_array_index (census, number - 1);

  return command->phase;
}

static void
count_point (Point *point,
             Tally *tally)
{
  g_autofree char *fault = rf_test_fault_describe (&point->fault);

  tally->injected++;
  tally->data_lost += point->result.data_lost;
  if (point->result.fired != 1)
    g_test_message ("%s (%s): the fault fired %u times",
                    fault, phase_of (point->rig, point->fault.command), point->result.fired);
  if (point->result.outcome == RF_TEST_FAULT_FLASHED)
    tally->flashed++;
  else if (point->result.outcome == RF_TEST_FAULT_UNCHANGED &&
           point->fault.command < rf_test_fault_rig_first_write (point->rig))
    {
      tally->unchanged++;
    }
  else if (point->result.outcome == RF_TEST_FAULT_UNCHANGED && point->result.flash_status != 0)
    {
      /* A standard download stopped before the drive saved it: the old
       * microcode runs on (spc-download.md, "Practice drive model"), and the
       * flash said that it was not applied. */
      tally->not_applied++;
      if (g_getenv ("REFLASH_FAULTS_VERBOSE") != NULL)
        g_test_message ("not applied: %s (%s), flash exit status %d", fault,
                        phase_of (point->rig, point->fault.command),
                        point->result.flash_status);
    }
  else if (point->result.outcome == RF_TEST_FAULT_UNCHANGED)
    {
      tally->not_recovered++;
      g_test_message ("NOT RECOVERED: %s (%s): the flash said it succeeded, yet the drive "
                      "runs its old firmware", fault, phase_of (point->rig, point->fault.command));
    }
  else
    {
      tally->not_recovered++;
      g_test_message ("NOT RECOVERED: %s (%s): %s", fault,
                      phase_of (point->rig, point->fault.command), point->result.problem);
    }
}

static void
print_tally (const char  *label,
             const Tally *tally)
{
  g_test_message ("faults: %s: %u injected, %u recovered (%u with the new image, %u unchanged "
                  "before the point of no return, %u kept their old firmware after it: download "
                  "not applied), %u not recovered, %u data lost",
                  label, tally->injected, tally->flashed + tally->unchanged + tally->not_applied,
                  tally->flashed, tally->unchanged, tally->not_applied, tally->not_recovered,
                  tally->data_lost);
}

static void
test_drive (gconstpointer data)
{
  const Drive *drive = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTestFaultRig) rig = rf_test_fault_rig_new (cli_path, drive->scenario, &error);
  g_autoptr(GPtrArray) points = NULL;
  Tally tally = { 0 };
  guint unfired = 0;

  g_assert_no_error (error);
  points = make_points (rig);
  run_points (points);
  for (guint i = 0; i < points->len; i += stride)
    {
      Point *point = g_ptr_array_index (points, i);

      count_point (point, &tally);
      unfired += point->result.fired != 1;
    }
  print_tally (drive->label, &tally);
  total.injected += tally.injected;
  total.flashed += tally.flashed;
  total.unchanged += tally.unchanged;
  total.not_applied += tally.not_applied;
  total.not_recovered += tally.not_recovered;
  total.data_lost += tally.data_lost;

  /* A point whose fault never fired tested nothing. */
  g_assert_cmpuint (unfired, ==, 0);
  g_assert_cmpuint (tally.not_recovered, ==, 0);
  g_assert_cmpuint (tally.data_lost, ==, 0);
}

static void
test_total (void)
{
  print_tally (stride > 1 ? "total (every fault point at a stride)" : "total", &total);
  g_assert_cmpuint (total.injected * stride, >=, MIN_POINTS);
  g_assert_cmpuint (total.not_recovered, ==, 0);
  g_assert_cmpuint (total.data_lost, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  const char *stride_env = g_getenv ("REFLASH_FAULTS_STRIDE");

  g_test_init (&argc, &argv, NULL);
  /* Every drive is counted and the total printed, whatever fails. */
  g_test_set_nonfatal_assertions ();
  g_assert_cmpint (argc, ==, 2);
  cli_path = argv[1];
  if (stride_env != NULL)
    stride = (guint) MAX (1, g_ascii_strtoull (stride_env, NULL, 10));
  if (stride > 1)
    g_test_message ("faults: one point in %u of the matrix", stride);

  for (gsize i = 0; i < G_N_ELEMENTS (drives); i++)
    {
      g_autofree char *path = g_strdup_printf ("/reflash/faults/%s", drives[i].scenario);

      g_test_add_data_func (path, &drives[i], test_drive);
    }
  g_test_add_func ("/reflash/faults/total", test_total);
  return g_test_run ();
}
