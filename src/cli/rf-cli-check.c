/* rf-cli-check.c: `reflash-cli check IMAGE`: what a firmware file is
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "rf-cli.h"
#include "rf-core.h"

typedef struct {
  const char *path;
  RfFirmwareProblem load_problem;
  RfNecFirmware *firmware;
  RfVerdict *verdict;
} CheckResult;

static void
check_result_clear (CheckResult *result)
{
  g_clear_object (&result->firmware);
  g_clear_object (&result->verdict);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CheckResult, check_result_clear)

static const char *
or_unknown (const char *text)
{
  return text != NULL ? text : _("(unknown)");
}

/* The exit code for a file that is not usable: missing files are "not found". */
static int
problem_exit (RfFirmwareProblem problem)
{
  return problem == RF_FIRMWARE_PROBLEM_NOT_FOUND ? RF_CLI_EXIT_NOT_FOUND : RF_CLI_EXIT_REFUSED;
}

static void
load_and_parse (CheckResult *result)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = rf_firmware_file_load (result->path, RF_FIRMWARE_MAX_FILE_SIZE,
                                                   &result->load_problem, &error);

  if (bytes == NULL)
    {
      g_debug ("%s", error->message);
      return;
    }
  result->firmware = rf_nec_firmware_new ();
  if (!rf_firmware_parse (RF_FIRMWARE (result->firmware), bytes, &error))
    g_debug ("%s", error->message);
}

static RfFirmwareProblem
result_problem (const CheckResult *result)
{
  if (result->firmware == NULL)
    return result->load_problem;
  return rf_firmware_get_problem (RF_FIRMWARE (result->firmware));
}

/* Human output */

static void
print_candidates (RfNecFirmware *firmware)
{
  guint n = rf_nec_firmware_get_n_candidates (firmware);

  if (n == 0)
    return;
  printf ("\n%s\n", _("Images found inside the file:"));
  for (guint i = 0; i < n; i++)
    {
      const RfNecCandidate *c = rf_nec_firmware_get_candidate (firmware, i);
      const RfNecType *type = rf_nec_type_from_id (c->drive_id);

      printf ("  #%u  ", i + 1);
      printf (_("at byte %" G_GSIZE_FORMAT ": %s (%s), bootcode %s, version %s"), c->offset,
              type != NULL ? type->model : c->drive_id, c->drive_id,
              c->bootcode_version != NULL ? c->bootcode_version : _("not given"),
              or_unknown (c->revision));
      printf ("\n      %s\n", c->problem == RF_FIRMWARE_PROBLEM_NONE
                               ? _("usable")
                               : rf_firmware_problem_to_sentence (c->problem));
    }
  if (rf_nec_firmware_get_chosen (firmware) >= 0)
    printf (_("Chosen: #%d. %s\n"), rf_nec_firmware_get_chosen (firmware) + 1,
            rf_nec_choice_to_sentence (rf_nec_firmware_get_choice (firmware)));
}

static void
print_image (RfFirmware *fw)
{
  guint16 stored = 0, computed = 0;

  if (rf_firmware_get_drive_id (fw) == NULL)
    return;
  printf (_("Format:           %s\n"),
          rf_nec_firmware_is_container (RF_NEC_FIRMWARE (fw))
          ? _("updater holding NEC 2 MiB firmware images (nec-2m); the chosen image:")
          : _("NEC 2 MiB firmware image (nec-2m)"));
  printf (_("Model:            %s (drive ID %s)\n"), rf_firmware_get_model (fw),
          rf_firmware_get_drive_id (fw));
  printf (_("Bootcode version: %s\n"), rf_firmware_get_bootcode_version (fw) != NULL
                                       ? rf_firmware_get_bootcode_version (fw)
                                       : _("not given"));
  if (rf_firmware_get_checksum (fw, &stored, &computed))
    printf (_("Checksum:         0x%04X (%s)\n"), stored,
            stored == computed ? _("correct") : _("wrong"));
  if (rf_firmware_get_revision (fw) != NULL)
    {
      printf (_("Vendor:           %s\n"), rf_firmware_get_vendor (fw));
      printf (_("Product:          %s\n"), rf_firmware_get_product (fw));
      printf (_("Version:          %s\n"), rf_firmware_get_revision (fw));
      printf (_("Vendor-specific:  %s\n"), rf_firmware_get_vendor_specific (fw));
    }
  else
    printf ("%s\n", _("The image carries no model and version text, so its version cannot be shown."));
}

static void
print_human (const CheckResult *result)
{
  RfFirmwareProblem problem = result_problem (result);

  printf (_("File:             %s\n"), result->path);
  if (result->firmware != NULL)
    {
      RfFirmware *fw = RF_FIRMWARE (result->firmware);

      printf (_("Size:             %" G_GSIZE_FORMAT " bytes\n"), rf_firmware_get_input_size (fw));
      printf (_("SHA-256:          %s\n"), rf_firmware_get_input_sha256 (fw));
      print_image (fw);
      print_candidates (result->firmware);
    }
  printf ("\n");
  if (problem == RF_FIRMWARE_PROBLEM_NONE)
    printf ("%s\n", rf_firmware_problem_to_sentence (problem));
  else
    printf (_("Not usable (%s): %s\n"), rf_firmware_problem_to_nick (problem),
            rf_firmware_problem_to_sentence (problem));
  if (result->verdict != NULL)
    {
      printf (_("Verdict (%s): %s\n"), rf_verdict_get_code (result->verdict),
              rf_verdict_get_sentence (result->verdict));
      if (rf_verdict_get_next_step (result->verdict) != NULL)
        printf ("%s\n", rf_verdict_get_next_step (result->verdict));
    }
}

/* JSON output */

static void
json_candidates (RfJsonWriter  *json,
                 RfNecFirmware *firmware)
{
  guint n = rf_nec_firmware_get_n_candidates (firmware);

  rf_json_writer_key (json, "candidates");
  rf_json_writer_begin_array (json);
  for (guint i = 0; i < n; i++)
    {
      const RfNecCandidate *c = rf_nec_firmware_get_candidate (firmware, i);

      rf_json_writer_begin_object (json);
      rf_json_writer_member_int (json, "offset", (gint64) c->offset);
      rf_json_writer_member_int (json, "length", (gint64) c->length);
      rf_json_writer_member_string (json, "drive_id", c->drive_id);
      rf_json_writer_member_string (json, "bootcode_version", c->bootcode_version);
      rf_json_writer_member_string (json, "product", c->product);
      rf_json_writer_member_string (json, "revision", c->revision);
      rf_json_writer_member_boolean (json, "usable", c->problem == RF_FIRMWARE_PROBLEM_NONE);
      rf_json_writer_member_string (json, "problem", c->problem == RF_FIRMWARE_PROBLEM_NONE
                                    ? NULL : rf_firmware_problem_to_nick (c->problem));
      rf_json_writer_end_object (json);
    }
  rf_json_writer_end_array (json);
  rf_json_writer_key (json, "chosen");
  if (rf_nec_firmware_get_chosen (firmware) >= 0)
    rf_json_writer_int (json, rf_nec_firmware_get_chosen (firmware));
  else
    rf_json_writer_null (json);
  rf_json_writer_member_string (json, "choice",
                                rf_nec_choice_to_nick (rf_nec_firmware_get_choice (firmware)));
  rf_json_writer_member_string (json, "choice_sentence",
                                rf_nec_choice_to_sentence (rf_nec_firmware_get_choice (firmware)));
}

static void
json_image (RfJsonWriter *json,
            RfFirmware   *fw)
{
  guint16 stored = 0, computed = 0;
  gboolean has_checksum = rf_firmware_get_checksum (fw, &stored, &computed);
  g_autofree char *stored_hex = g_strdup_printf ("0x%04X", stored);
  g_autofree char *computed_hex = g_strdup_printf ("0x%04X", computed);

  rf_json_writer_key (json, "image");
  if (rf_firmware_get_drive_id (fw) == NULL)
    {
      rf_json_writer_null (json);
      return;
    }
  rf_json_writer_begin_object (json);
  rf_json_writer_member_string (json, "drive_id", rf_firmware_get_drive_id (fw));
  rf_json_writer_member_string (json, "model", rf_firmware_get_model (fw));
  rf_json_writer_member_string (json, "bootcode_version", rf_firmware_get_bootcode_version (fw));
  rf_json_writer_member_string (json, "vendor", rf_firmware_get_vendor (fw));
  rf_json_writer_member_string (json, "product", rf_firmware_get_product (fw));
  rf_json_writer_member_string (json, "revision", rf_firmware_get_revision (fw));
  rf_json_writer_member_string (json, "vendor_specific", rf_firmware_get_vendor_specific (fw));
  rf_json_writer_member_string (json, "checksum_stored", has_checksum ? stored_hex : NULL);
  rf_json_writer_member_string (json, "checksum_computed", has_checksum ? computed_hex : NULL);
  rf_json_writer_member_boolean (json, "checksum_ok", has_checksum && stored == computed);
  rf_json_writer_member_int (json, "size", (gint64) g_bytes_get_size (rf_firmware_get_image (fw)));
  rf_json_writer_member_string (json, "sha256", rf_firmware_get_image_sha256 (fw));
  rf_json_writer_end_object (json);
}

static void
json_verdict (RfJsonWriter *json,
              RfVerdict    *verdict)
{
  RfVerdictWarnings warnings;

  rf_json_writer_key (json, "verdict");
  if (verdict == NULL)
    {
      rf_json_writer_null (json);
      return;
    }
  warnings = rf_verdict_get_warnings (verdict);
  rf_json_writer_begin_object (json);
  rf_json_writer_member_string (json, "kind", rf_verdict_kind_to_nick (rf_verdict_get_kind (verdict)));
  rf_json_writer_member_string (json, "code", rf_verdict_get_code (verdict));
  rf_json_writer_member_string (json, "corrupt", rf_verdict_get_reason (verdict) ==
                                RF_VERDICT_REASON_CORRUPT
                                ? rf_firmware_problem_to_corrupt_nick (rf_verdict_get_problem (verdict))
                                : NULL);
  rf_json_writer_member_string (json, "sentence", rf_verdict_get_sentence (verdict));
  rf_json_writer_member_string (json, "next_step", rf_verdict_get_next_step (verdict));
  rf_json_writer_key (json, "warnings");
  rf_json_writer_begin_array (json);
  for (guint i = 0; i < RF_VERDICT_N_WARNINGS; i++)
    if (warnings & (1u << i))
      rf_json_writer_string (json, rf_verdict_warning_to_nick ((RfVerdictWarnings) (1u << i)));
  rf_json_writer_end_array (json);
  rf_json_writer_end_object (json);
}

static void
print_json (const CheckResult *result)
{
  g_autoptr(RfJsonWriter) json = rf_json_writer_new ();
  RfFirmwareProblem problem = result_problem (result);
  RfFirmware *fw = result->firmware != NULL ? RF_FIRMWARE (result->firmware) : NULL;
  g_autofree char *text = NULL;

  rf_json_writer_begin_object (json);
  rf_json_writer_member_string (json, "file", result->path);
  rf_json_writer_key (json, "size");
  if (fw != NULL)
    rf_json_writer_int (json, (gint64) rf_firmware_get_input_size (fw));
  else
    rf_json_writer_null (json);
  rf_json_writer_member_string (json, "sha256", fw != NULL ? rf_firmware_get_input_sha256 (fw) : NULL);
  rf_json_writer_member_string (json, "format", fw != NULL ? rf_firmware_get_format (fw) : NULL);
  rf_json_writer_member_boolean (json, "usable", problem == RF_FIRMWARE_PROBLEM_NONE);
  rf_json_writer_member_string (json, "problem", problem == RF_FIRMWARE_PROBLEM_NONE
                                ? NULL : rf_firmware_problem_to_nick (problem));
  rf_json_writer_member_string (json, "corrupt", rf_firmware_problem_to_corrupt_nick (problem));
  rf_json_writer_member_string (json, "sentence", rf_firmware_problem_to_sentence (problem));
  if (fw != NULL)
    {
      json_image (json, fw);
      rf_json_writer_member_boolean (json, "updater", rf_nec_firmware_is_container (result->firmware));
      json_candidates (json, result->firmware);
    }
  json_verdict (json, result->verdict);
  rf_json_writer_end_object (json);
  text = rf_json_writer_finish (json);
  fputs (text, stdout);
}

int
rf_cli_check_run (int    argc,
                  char **argv)
{
  g_autofree char *drive = NULL;
  gboolean as_json = FALSE;
  const GOptionEntry entries[] = {
    { "drive", 'd', 0, G_OPTION_ARG_STRING, &drive,
      N_("Also judge the file against this drive"), N_("DRIVE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("IMAGE — check a firmware file"));
  g_autoptr(GError) error = NULL;
  g_auto(CheckResult) result = { 0 };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      fprintf (stderr, "reflash-cli check: %s\n",
               error != NULL ? error->message : _("give exactly one firmware file"));
      return RF_CLI_EXIT_USAGE;
    }
  if (drive != NULL)
    {
      /* Judging against a drive needs drive probing, which this build lacks. */
      fprintf (stderr, _("reflash-cli check: --drive is not available in this version yet; "
                         "check the file alone.\n"));
      return RF_CLI_EXIT_NOT_AVAILABLE;
    }
  result.path = argv[1];
  load_and_parse (&result);
  if (as_json)
    print_json (&result);
  else
    print_human (&result);
  if (result_problem (&result) != RF_FIRMWARE_PROBLEM_NONE)
    return problem_exit (result_problem (&result));
  if (result.verdict != NULL && !rf_verdict_is_allowed (result.verdict))
    return RF_CLI_EXIT_REFUSED;
  return RF_CLI_EXIT_OK;
}
