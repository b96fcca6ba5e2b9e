/* rf-test-drive.h: a small scripted drive behind RfTransport, for probe tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-transport.h"

G_BEGIN_DECLS

/* What the drive is and how it misbehaves. Strings are copied. */
typedef struct {
  const char *vendor;           /* 8 bytes */
  const char *product;          /* 16 bytes */
  const char *revision;         /* normal-mode revision, 4 bytes */
  guint8 device_type;           /* INQUIRY byte 0 */
  const char *firmware_date;    /* "YYYYMMDD" for feature 0x010C, or NULL */
  gboolean nec;                 /* answers the NEC vendor commands */
  const char *stored_id;        /* 4 bytes at 0x4800 */
  const char *rid_vendor;       /* at 0x5F20 */
  const char *rid_digits;       /* 4 model digits at 0x5F43 */
  const char *bootcode_key;
  const char *bootcode_version; /* 2 characters */
  gboolean firmware_valid;      /* FALSE: the drive sits in safe mode */
  gboolean disc;
  guint unit_attentions;        /* 06/29/00 answers before the first real one */
  gboolean bridge;              /* vendor opcodes come back 05/20/00 */
  gboolean no_rawio;            /* the kernel refuses vendor opcodes (EPERM) */
  gboolean hang;                /* every command waits until released, then times out */
  GCancellable *cancel_on_enter; /* cancelled when a SAFE MODE enter is accepted */
  gboolean tur_scripted;        /* TEST UNIT READY answers with the three below */
  guint8 tur_status;            /* SCSI status */
  guint8 tur_sense[3];          /* key, ASC, ASCQ, when tur_status is CHECK CONDITION */
  gsize tur_sense_length;       /* bytes of sense kept; 0 keeps all 18 */
  gboolean inquiry_fails;       /* INQUIRY brings no status back (a transport error) */
  gboolean silent_after_enter;  /* an accepted enter, and then no status ever again */
  guint64 restart_us;           /* after a SAFE MODE leave, 02/04/01 for this long on
                                 * the drive's clock; G_MAXUINT64: it never comes back */
  RfClock *clock;               /* the drive's clock (a reference is taken); NULL:
                                 * the system clock */
} RfTestDriveSpec;

#define RF_TYPE_TEST_DRIVE (rf_test_drive_get_type ())

G_DECLARE_FINAL_TYPE (RfTestDrive, rf_test_drive, RF, TEST_DRIVE, RfTransport)

RfTestDrive *rf_test_drive_new          (const RfTestDriveSpec *spec);
gboolean     rf_test_drive_in_safe_mode (RfTestDrive           *self);
void         rf_test_drive_enter_safe_mode (RfTestDrive        *self);
void         rf_test_drive_wait_hung    (RfTestDrive           *self);
void         rf_test_drive_release      (RfTestDrive           *self);

G_END_DECLS
