/* rf-sim-scenario.h: what a practice drive starts as (data/practice/NAME.conf)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "rf-sim-fault.h"

G_BEGIN_DECLS

typedef enum {
  RF_SIM_PROTOCOL_NEC_2M,
  RF_SIM_PROTOCOL_SPC_DOWNLOAD,
} RfSimProtocol;

/* The NEC main firmware area as the scenario leaves it. */
typedef enum {
  RF_SIM_FIRMWARE_VALID,
  RF_SIM_FIRMWARE_ERASED,
  RF_SIM_FIRMWARE_INTERRUPTED,
  RF_SIM_FIRMWARE_COPIED,     /* FirmwareFile: a twin's main area, from a backup */
} RfSimFirmware;

/* spc-download.md "Variants": modes 5, 7, or 0x0E + 0x0F. */
typedef enum {
  RF_SIM_SPC_SINGLE,
  RF_SIM_SPC_OFFSETS,
  RF_SIM_SPC_DEFERRED,
} RfSimSpcVariant;

/* Modelled cost of each kind of command, in milliseconds at speed 1. */
typedef enum {
  RF_SIM_COST_QUERY,
  RF_SIM_COST_READ,
  RF_SIM_COST_SAFE_MODE_ENTER,
  RF_SIM_COST_SAFE_MODE_LEAVE,
  RF_SIM_COST_WRITE_RAM,
  RF_SIM_COST_SEND_CHECKSUM,
  RF_SIM_COST_ERASE_BLOCK,
  RF_SIM_COST_PROGRAM_BLOCK,
  RF_SIM_COST_WRITE_BUFFER,
  RF_SIM_COST_SAVE,
  RF_SIM_COST_SETTLE,
  RF_SIM_COST_LAST,
} RfSimCost;

/**
 * RfSimScenario:
 *
 * One parsed scenario file. The keys are documented in data/practice/README.md;
 * every field below is one key. @name and @description are untranslated; use
 * rf_sim_scenario_get_name() and rf_sim_scenario_get_description() to show them.
 */
typedef struct {
  char *id;
  char *path;
  char *name;
  char *description;
  RfSimProtocol protocol;
  gboolean disc;
  gboolean bridge_blocks_vendor;
  guint max_transfer;

  /* [NEC] */
  char *bootcode_key;
  char *bootcode_version;
  char *safe_mode_vendor;
  char *safe_mode_product;
  char *stored_id;
  char *rid_code;
  char *rid_vendor;
  char *rid_model;
  RfSimFirmware firmware;
  char *firmware_model;
  char *firmware_revision;
  guint interrupted_at_block;
  char *firmware_date;

  /* [SPC] */
  char *vendor;
  char *product;
  char *revision;
  char *boot_revision;
  RfSimSpcVariant variant;
  guint buffer_id;
  guint offset_boundary;
  guint buffer_capacity;
  guint image_size;
  guint model_offset;
  guint revision_offset;
  gboolean boot_mode;
  gboolean boot_accepts_download;
  gboolean activation_drops_connection;
  gboolean dump;
  gboolean descriptor;

  /* [Timing] */
  guint cost_ms[RF_SIM_COST_LAST];

  /* [Fault *] groups */
  GArray *faults; /* RfSimFault */

  /* [Scenario] Serial: the unit serial the kernel would show in sysfs */
  char *serial;

  /* [Scenario] TwinOf: for a twin, the drive it copies, as people named it */
  char *twin_of;
  /* [NEC] FirmwareFile: with Firmware=copied, the main area's file beside
   * the scenario */
  char *firmware_file;
  /* [SPC] ImageFile: the stored microcode's file beside the scenario (a
   * twin's, from a backup); else it is made by code */
  char *image_file;
} RfSimScenario;

RfSimScenario *rf_sim_scenario_load_file       (const char          *path,
                                                GError             **error);
RfSimScenario *rf_sim_scenario_load            (const char          *id,
                                                GError             **error);
GPtrArray     *rf_sim_scenario_list            (GError             **error);
char          *rf_sim_scenario_get_user_dir    (void);
char          *rf_sim_scenario_dup_firmware_path (const RfSimScenario *self);
gboolean       rf_sim_scenario_read_firmware   (const RfSimScenario *self,
                                                guint8              *into,
                                                gsize                size);
gboolean       rf_sim_scenario_is_twin         (const RfSimScenario *self);
RfSimScenario *rf_sim_scenario_copy            (const RfSimScenario *self);
void           rf_sim_scenario_free            (RfSimScenario       *self);
const char    *rf_sim_scenario_get_name        (const RfSimScenario *self);
const char    *rf_sim_scenario_get_description (const RfSimScenario *self);
GBytes        *rf_sim_spc_image_new            (const RfSimScenario *scenario,
                                                const char          *product,
                                                const char          *revision);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfSimScenario, rf_sim_scenario_free)

G_END_DECLS
