/* rf-sim-drive-private.h: what the protocol models share with RfSimDrive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-sim-drive.h"

G_BEGIN_DECLS

/* Our own bootcode layout (nec-2m.md §6 "Practice-drive model" leaves it open):
 * an info record near the end of the 16 KiB bootcode holds what the bootcode
 * knows: its key, its version and the model strings it answers INQUIRY with in
 * safe mode. Erase block 0 and the drive is dead for good, as a real one would be. */
#define RF_SIM_NEC_BOOT_INFO         0x3F00
#define RF_SIM_NEC_BOOT_MAGIC        "RFBOOT"
#define RF_SIM_NEC_BOOT_MAGIC_LENGTH 6
#define RF_SIM_NEC_BOOT_KEY          (RF_SIM_NEC_BOOT_INFO + 6)
#define RF_SIM_NEC_BOOT_VERSION      (RF_SIM_NEC_BOOT_INFO + 10)
#define RF_SIM_NEC_BOOT_VENDOR       (RF_SIM_NEC_BOOT_INFO + 12)
#define RF_SIM_NEC_BOOT_PRODUCT      (RF_SIM_NEC_BOOT_INFO + 20)

#define RF_SIM_INQUIRY_LENGTH 0x60
#define RF_SIM_MAX_UNIT_ATTENTIONS 4

/* What an NEC drive's flash says without reading it: the answers to the
 * passive commands and what power-up decides. Taken from the flash before it
 * is unmapped; while the flash is mapped, it is read directly. */
typedef struct {
  gboolean dead;            /* the bootcode's record is gone */
  gboolean main_erased;
  guint16 main_sum;         /* the checksum of the main area */
  char boot_vendor[9];
  char boot_product[17];
  char boot_version[3];
  gboolean has_display;     /* the main firmware carries display strings */
  char vendor[9];
  char product[17];
  char revision[5];
  char specific[21];
} RfSimNecSummary;

/* What one command did, beyond its status: filled by the protocol model. */
typedef struct {
  RfSimCost cost;
  guint64 extra_ms;          /* on top of the cost: a save, a restart */
  gboolean flash_changed;    /* persist after the command */
  const RfSimFault *fault;   /* a fault the model acts on, or NULL */
  gboolean power_lost;       /* the model applied a power loss part-way */
  gboolean drop_connection;  /* the drive restarted before it answered */
  gboolean time_spent;       /* the model already let the command's time pass */
  gboolean settle;           /* the microcode restarts: settle after the command */
} RfSimExec;

struct _RfSimDrive
{
  GObject parent_instance;

  GMutex lock;
  RfSimScenario *scenario;
  RfSimClock *clock;
  char *state_path;
  GArray *faults;        /* RfSimFault, armed */
  GArray *fault_origins; /* guint per armed fault: its scenario index, or G_MAXUINT */
  GArray *fired;         /* guint: scenario faults that fired; saved with the flash */
  guint phase_counts[RF_SIM_PHASE_OTHER + 1];
  guint command_count;
  gboolean vanished;
  guint storm_remaining;
  gint led; /* RfSimLed, read without the lock by the UI */
  gint power_cut; /* set without the lock: the power button, mid-command */
  gboolean disc;
  guint16 unit_attentions[RF_SIM_MAX_UNIT_ATTENTIONS]; /* ASC << 8 | ASCQ, key 06 */
  guint n_unit_attentions;

  /* Persistence (rf-sim-state.c): the flash range changed since the last save,
   * whether the flash file is complete, the metadata last written. */
  gsize dirty_start;
  gsize dirty_end; /* 0: nothing changed */
  gboolean flash_saved;
  GBytes *saved_metadata;
  gboolean saved_valid;

  /* NEC 2M: non-volatile. The flash is mapped only while a command needs it
   * (rf_sim_drive_ensure_flash); the summary stands in for it otherwise. */
  guint8 *flash;
  RfSimNecSummary summary;
  gboolean has_stored_sum;
  guint16 stored_sum;
  /* NEC 2M: volatile. RAM exists from the first WRITE RAM (absent: all 0xFF,
   * as after power-up) until the firmware restarts. */
  guint8 *ram;
  gboolean safe_mode;
  gboolean session_entered;
  /* Between an ERASE and the next PROGRAM: the LED blinks fast (DOMAIN.md phases). */
  gboolean erasing;
  gboolean has_checksum;
  guint16 checksum;
  /* The sum of the main firmware the scenario describes, once computed. */
  gboolean scenario_sum_known;
  guint16 scenario_sum;

  /* SPC: non-volatile */
  guint8 *spc_stored;
  gboolean spc_stored_valid;
  /* SPC: volatile */
  gboolean spc_deferred;
  guint8 *spc_running; /* NULL in boot mode; regions (rf-sim-region.c) */
  gboolean spc_running_shared; /* spc_running is spc_stored: the same microcode */
  guint8 *spc_buffer;
  guint spc_received;
  gint64 settle_until_us;
};

/* rf-sim-region.c */
guint8     *rf_sim_region_new                 (gsize         size);
void        rf_sim_region_free                (guint8       *region,
                                               gsize         size);
guint8     *rf_sim_region_dup                 (const guint8 *data,
                                               gsize         size);

/* rf-sim-state.c */
gboolean    rf_sim_drive_save_state           (RfSimDrive   *self,
                                               GError      **error);
gboolean    rf_sim_drive_load_state           (RfSimDrive   *self,
                                               GError      **error);
void        rf_sim_drive_disarm_fired         (RfSimDrive   *self);
void        rf_sim_drive_touch_nvm            (RfSimDrive   *self,
                                               gsize         start,
                                               gsize         length);
gboolean    rf_sim_drive_forget_state         (RfSimDrive   *self,
                                               GError      **error);
gboolean    rf_sim_drive_read_saved_flash     (RfSimDrive   *self);

/* rf-sim-drive.c */
guint8     *rf_sim_drive_ensure_flash         (RfSimDrive   *self);
gboolean    rf_sim_drive_nap                  (RfSimDrive   *self,
                                               guint64       modelled_us);
void        rf_sim_drive_queue_unit_attention (RfSimDrive   *self,
                                               guint8        asc,
                                               guint8        ascq);

/* rf-sim-reply.c */
void        rf_sim_reply_data                 (RfCommand    *command,
                                               const guint8 *data,
                                               gsize         length);
void        rf_sim_reply_inquiry              (RfCommand    *command,
                                               const char   *vendor,
                                               const char   *product,
                                               const char   *revision,
                                               const char   *vendor_specific);
void        rf_sim_reply_configuration        (RfCommand    *command,
                                               gboolean      disc,
                                               gboolean      microcode_upgrade,
                                               gboolean      mode5,
                                               const char   *firmware_date);
gboolean    rf_sim_cdb_zero                   (const RfCommand *command,
                                               gsize         from,
                                               gsize         to);
void        rf_sim_put_padded                 (guint8       *dest,
                                               gsize         width,
                                               const char   *text,
                                               char          pad);

/* rf-sim-nec.c */
void        rf_sim_nec_build_flash            (const RfSimScenario *scenario,
                                               guint8       *flash,
                                               gboolean     *has_stored_sum,
                                               guint16      *stored_sum);
void        rf_sim_nec_power_up               (RfSimDrive   *self);
gboolean    rf_sim_nec_is_dead                (RfSimDrive   *self);
RfSimPhase  rf_sim_nec_classify               (const RfCommand *command);
void        rf_sim_nec_execute                (RfSimDrive   *self,
                                               RfCommand    *command,
                                               RfSimExec    *exec);
RfSimLed    rf_sim_nec_led                    (RfSimDrive   *self);
void        rf_sim_nec_summarize              (const guint8 *flash,
                                               RfSimNecSummary *summary);

/* rf-sim-spc.c */
void        rf_sim_spc_build_image            (const RfSimScenario *scenario,
                                               const char   *revision,
                                               guint8       *image);
void        rf_sim_spc_power_up               (RfSimDrive   *self);
gboolean    rf_sim_spc_is_settling            (RfSimDrive   *self);
RfSimPhase  rf_sim_spc_classify               (const RfCommand *command);
void        rf_sim_spc_execute                (RfSimDrive   *self,
                                               RfCommand    *command,
                                               RfSimExec    *exec);
RfSimLed    rf_sim_spc_led                    (RfSimDrive   *self);

G_END_DECLS
