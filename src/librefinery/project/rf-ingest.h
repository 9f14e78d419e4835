/* rf-ingest.h: step 1 of the workflow, upload a raw file into a project.
 *
 * rf_ingest_file() parses the whole file first (rf_read_file), so a file that
 * does not parse writes nothing into the project. It then copies the file
 * unmodified into raw/<machine>/ and appends an entry to
 * raw/<machine>/upload_metadata.json:
 *
 *   {
 *     "format": "refinery-upload-metadata",
 *     "format_version": 1,
 *     "machine_id": "pump_1",
 *     "uploads": [
 *       {
 *         "original_name": "export.csv",     the file's base name
 *         "stored_name": "export.csv",       its name in raw/<machine>/
 *                                            (export_2.csv when a different
 *                                            file of that name is there)
 *         "sha256": "<64 hex digits>",
 *         "bytes": 12345,
 *         "format": "csv",                   rf_format_to_string()
 *         "encoding": "UTF-8",               null for binary formats
 *         "bom": false,
 *         "delimiter": ",",                  the character itself; null unless CSV
 *         "decimal_mark": ".",
 *         "line_ending": "LF",               null unless CSV
 *         "header": true,
 *         "layout": null,                    JSON: records/columns/split/lines
 *         "rows": 2000,
 *         "column_count": 27,
 *         "columns": [{"name": "unit", "type": "int64", "unit": null}, ...],
 *         "warnings": [],
 *         "uploaded_at": "2024-05-01T12:00:00Z",
 *         "user": "jane",
 *         "source_path": "/home/jane/export.csv"
 *       }
 *     ]
 *   }
 *
 * The same bytes ingested again (same sha256) are recognised and not copied
 * again. raw/ is never modified otherwise: stored files are never
 * overwritten. Entries and keys this version does not know are kept.
 */
#pragma once

#include <gio/gio.h>

#include "rf-progress.h"
#include "rf-project.h"
#include "rf-reader.h"

G_BEGIN_DECLS

#define RF_UPLOAD_METADATA_FILE            "upload_metadata.json"
#define RF_UPLOAD_METADATA_FORMAT          "refinery-upload-metadata"
#define RF_UPLOAD_METADATA_FORMAT_VERSION  1

/* One entry of upload_metadata.json (the main fields). */
typedef struct
{
  char *original_name;
  char *stored_name;
  char *stored_path;      /* absolute */
  char *sha256;           /* lowercase hex */
  guint64 bytes;
  char *format;           /* "csv", "json", ... */
  guint64 rows;
  guint n_columns;
  char *uploaded_at;      /* UTC ISO 8601 */
  char *user;
  char *source_path;
} RfUpload;

typedef struct
{
  RfUpload *upload;            /* the new entry, or the earlier one for the same bytes */
  gboolean already_ingested;   /* TRUE: the same bytes were there; nothing was written */
  RfTable *table;              /* the parsed data */
  RfReadReport *report;        /* what the reader detected */
} RfIngestResult;

void            rf_upload_free          (RfUpload        *upload);
void            rf_ingest_result_free   (RfIngestResult  *result);

/* Ingests path for the machine machine_id. options may be NULL (detect
 * everything). Errors: unknown machine → RF_ERROR_NOT_FOUND listing the
 * known ids; the reader's errors (nothing written); a damaged
 * upload_metadata.json → RF_ERROR_PARSE; the file changing while it is
 * ingested → RF_ERROR_IO; a cancel → G_IO_ERROR_CANCELLED. On every error the
 * project is left as it was. */
RfIngestResult *rf_ingest_file          (RfProject            *project,
                                         const char           *machine_id,
                                         const char           *path,
                                         const RfReadOptions  *options,
                                         RfProgress           *progress,
                                         GCancellable         *cancellable,
                                         GError              **error);

/* The uploads recorded for a machine, oldest first (empty when nothing was
 * ingested yet). Errors: unknown machine, damaged metadata file. */
GPtrArray      *rf_ingest_list_uploads  (RfProject            *project,
                                         const char           *machine_id,
                                         GError              **error);

/* The upload the later steps work on: the newest one (NULL with
 * RF_ERROR_NOT_FOUND, saying to ingest a file first, when there is none). */
RfUpload       *rf_ingest_get_latest    (RfProject            *project,
                                         const char           *machine_id,
                                         GError              **error);
/* Reads the newest upload of a machine (rf_read_file with the format
 * detected again: the stored file is byte for byte what was ingested, so
 * detection finds what it found then). upload_out, when not NULL, receives
 * the upload read. */
RfTable        *rf_ingest_read_latest   (RfProject            *project,
                                         const char           *machine_id,
                                         RfUpload            **upload_out,
                                         RfProgress           *progress,
                                         GCancellable         *cancellable,
                                         GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfUpload, rf_upload_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfIngestResult, rf_ingest_result_free)

G_END_DECLS
