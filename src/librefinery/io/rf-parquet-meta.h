/* rf-parquet-meta.h: the Parquet file and page metadata, as C structs.
 *
 * These mirror the Thrift definitions of the Apache Parquet format
 * (parquet.thrift), limited to the fields Refinery reads or writes; every
 * other field is skipped when decoding and never written. Field comments
 * give the Thrift field id. Decoding and encoding use the Thrift compact
 * protocol (rf-thrift.h).
 *
 * Decoding is defensive: it reads only inside the given bytes, limits
 * nesting and list lengths by what the bytes can hold, checks that
 * required fields are present and enums in range, and fails with an
 * RF_ERROR_PARSE that names the struct and field. No allocation is larger
 * than a small multiple of the input size: decoding charges what it
 * allocates to a budget of 32 times the input plus 64 KiB (real footers
 * take 5 to 15 times their size).
 *
 * Messages start in lower case ("the footer metadata (FileMetaData, 730
 * bytes) is corrupt: row_groups[0]: columns[4]: ColumnMetaData has no
 * path_in_schema (field 3)") for the caller to put the file name and
 * offset in front.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  RF_PQ_BOOLEAN = 0,
  RF_PQ_INT32 = 1,
  RF_PQ_INT64 = 2,
  RF_PQ_INT96 = 3,
  RF_PQ_FLOAT = 4,
  RF_PQ_DOUBLE = 5,
  RF_PQ_BYTE_ARRAY = 6,
  RF_PQ_FIXED_LEN_BYTE_ARRAY = 7,
} RfPqType;

typedef enum
{
  RF_PQ_REQUIRED = 0,
  RF_PQ_OPTIONAL = 1,
  RF_PQ_REPEATED = 2,
} RfPqRepetition;

/* ConvertedType (the legacy annotation); RF_PQ_CONVERTED_NONE when absent. */
typedef enum
{
  RF_PQ_CONVERTED_NONE = -1,
  RF_PQ_CONVERTED_UTF8 = 0,
  RF_PQ_CONVERTED_MAP = 1,
  RF_PQ_CONVERTED_MAP_KEY_VALUE = 2,
  RF_PQ_CONVERTED_LIST = 3,
  RF_PQ_CONVERTED_ENUM = 4,
  RF_PQ_CONVERTED_DECIMAL = 5,
  RF_PQ_CONVERTED_DATE = 6,
  RF_PQ_CONVERTED_TIME_MILLIS = 7,
  RF_PQ_CONVERTED_TIME_MICROS = 8,
  RF_PQ_CONVERTED_TIMESTAMP_MILLIS = 9,
  RF_PQ_CONVERTED_TIMESTAMP_MICROS = 10,
  RF_PQ_CONVERTED_UINT_8 = 11,
  RF_PQ_CONVERTED_UINT_16 = 12,
  RF_PQ_CONVERTED_UINT_32 = 13,
  RF_PQ_CONVERTED_UINT_64 = 14,
  RF_PQ_CONVERTED_INT_8 = 15,
  RF_PQ_CONVERTED_INT_16 = 16,
  RF_PQ_CONVERTED_INT_32 = 17,
  RF_PQ_CONVERTED_INT_64 = 18,
  RF_PQ_CONVERTED_JSON = 19,
  RF_PQ_CONVERTED_BSON = 20,
  RF_PQ_CONVERTED_INTERVAL = 21,
} RfPqConverted;

/* LogicalType: the id of the member set in the Thrift union (0: none). */
typedef enum
{
  RF_PQ_LOGICAL_NONE = 0,
  RF_PQ_LOGICAL_STRING = 1,
  RF_PQ_LOGICAL_MAP = 2,
  RF_PQ_LOGICAL_LIST = 3,
  RF_PQ_LOGICAL_ENUM = 4,
  RF_PQ_LOGICAL_DECIMAL = 5,
  RF_PQ_LOGICAL_DATE = 6,
  RF_PQ_LOGICAL_TIME = 7,
  RF_PQ_LOGICAL_TIMESTAMP = 8,
  RF_PQ_LOGICAL_INTEGER = 10,
  RF_PQ_LOGICAL_UNKNOWN = 11,   /* "always null" */
  RF_PQ_LOGICAL_JSON = 12,
  RF_PQ_LOGICAL_BSON = 13,
  RF_PQ_LOGICAL_UUID = 14,
  RF_PQ_LOGICAL_FLOAT16 = 15,
  RF_PQ_LOGICAL_OTHER = 99,     /* a union member this reader does not know */
} RfPqLogicalKind;

typedef enum
{
  RF_PQ_UNIT_NONE = 0,
  RF_PQ_UNIT_MILLIS = 1,
  RF_PQ_UNIT_MICROS = 2,
  RF_PQ_UNIT_NANOS = 3,
} RfPqTimeUnit;

typedef struct
{
  RfPqLogicalKind kind;
  gint32 decimal_scale;         /* DECIMAL: DecimalType.scale (1) */
  gint32 decimal_precision;     /* DECIMAL: DecimalType.precision (2) */
  gboolean adjusted_to_utc;     /* TIME, TIMESTAMP: isAdjustedToUTC (1) */
  RfPqTimeUnit unit;            /* TIME, TIMESTAMP: unit (2) */
  gint8 int_bit_width;          /* INTEGER: bitWidth (1): 8, 16, 32 or 64 */
  gboolean int_signed;          /* INTEGER: isSigned (2) */
} RfPqLogicalType;

typedef enum
{
  RF_PQ_PLAIN = 0,
  RF_PQ_PLAIN_DICTIONARY = 2,
  RF_PQ_RLE = 3,
  RF_PQ_BIT_PACKED = 4,
  RF_PQ_DELTA_BINARY_PACKED = 5,
  RF_PQ_DELTA_LENGTH_BYTE_ARRAY = 6,
  RF_PQ_DELTA_BYTE_ARRAY = 7,
  RF_PQ_RLE_DICTIONARY = 8,
  RF_PQ_BYTE_STREAM_SPLIT = 9,
} RfPqEncoding;

typedef enum
{
  RF_PQ_CODEC_UNCOMPRESSED = 0,
  RF_PQ_CODEC_SNAPPY = 1,
  RF_PQ_CODEC_GZIP = 2,
  RF_PQ_CODEC_LZO = 3,
  RF_PQ_CODEC_BROTLI = 4,
  RF_PQ_CODEC_LZ4 = 5,          /* the deprecated Hadoop-framed LZ4 */
  RF_PQ_CODEC_ZSTD = 6,
  RF_PQ_CODEC_LZ4_RAW = 7,
} RfPqCodec;

typedef enum
{
  RF_PQ_PAGE_DATA = 0,
  RF_PQ_PAGE_INDEX = 1,
  RF_PQ_PAGE_DICTIONARY = 2,
  RF_PQ_PAGE_DATA_V2 = 3,
} RfPqPageType;

/* Statistics (min/max as the plain-encoded bytes of the value). The
 * legacy min/max (fields 2, 1) are read into min/max only when the new
 * ones (6, 5) are absent. */
typedef struct
{
  GBytes *min;                  /* min_value (6), else min (2); NULL if absent */
  GBytes *max;                  /* max_value (5), else max (1); NULL if absent */
  gboolean has_null_count;
  gint64 null_count;            /* (3) */
  gboolean has_distinct_count;
  gint64 distinct_count;        /* (4) */
} RfPqStatistics;

typedef struct
{
  char *name;                   /* (4) required */
  gboolean has_type;            /* FALSE for groups (the root, nested fields) */
  RfPqType type;                /* (1) */
  gint32 type_length;           /* (2) FIXED_LEN_BYTE_ARRAY width; 0 if absent */
  gboolean has_repetition;
  RfPqRepetition repetition;    /* (3); absent only on the root */
  gint32 num_children;          /* (5) 0 if absent */
  RfPqConverted converted;      /* (6) */
  gint32 scale;                 /* (7) 0 if absent */
  gint32 precision;             /* (8) 0 if absent */
  RfPqLogicalType logical;      /* (10) */
} RfPqSchemaElement;

typedef struct
{
  char *key;                    /* (1) */
  char *value;                  /* (2) NULL if absent */
} RfPqKeyValue;

typedef struct
{
  RfPqType type;                /* (1) */
  GArray *encodings;            /* (2) of RfPqEncoding (gint32) */
  GPtrArray *path_in_schema;    /* (3) of char* */
  RfPqCodec codec;              /* (4) */
  gint64 num_values;            /* (5) */
  gint64 total_uncompressed_size; /* (6) */
  gint64 total_compressed_size; /* (7) */
  gint64 data_page_offset;      /* (9) */
  gboolean has_dictionary_page_offset;
  gint64 dictionary_page_offset; /* (11) */
  gboolean has_statistics;
  RfPqStatistics statistics;    /* (12) */
} RfPqColumnMetaData;

typedef struct
{
  char *file_path;              /* (1) NULL: this file (anything else is refused) */
  gint64 file_offset;           /* (2) */
  gboolean has_meta_data;
  RfPqColumnMetaData meta_data; /* (3) absent only in encrypted files */
  gboolean has_crypto_metadata; /* (8) present: the column is encrypted */
} RfPqColumnChunk;

typedef struct
{
  GArray *columns;              /* (1) of RfPqColumnChunk */
  gint64 total_byte_size;       /* (2) */
  gint64 num_rows;              /* (3) */
} RfPqRowGroup;

typedef struct
{
  gint32 version;               /* (1) */
  GArray *schema;               /* (2) of RfPqSchemaElement; [0] is the root */
  gint64 num_rows;              /* (3) */
  GArray *row_groups;           /* (4) of RfPqRowGroup */
  GArray *key_value_metadata;   /* (5) of RfPqKeyValue; may be empty, never NULL */
  char *created_by;             /* (6) NULL if absent */
  gboolean has_encryption_algorithm; /* (8) */
} RfPqFileMetaData;

typedef struct
{
  gint32 num_values;            /* (1) */
  RfPqEncoding encoding;        /* (2) */
  RfPqEncoding definition_level_encoding; /* (3) */
  RfPqEncoding repetition_level_encoding; /* (4) */
  gboolean has_statistics;
  RfPqStatistics statistics;    /* (5) */
} RfPqDataPageHeader;

typedef struct
{
  gint32 num_values;            /* (1) */
  RfPqEncoding encoding;        /* (2) */
  gboolean is_sorted;           /* (3) */
} RfPqDictionaryPageHeader;

typedef struct
{
  gint32 num_values;            /* (1) */
  gint32 num_nulls;             /* (2) */
  gint32 num_rows;              /* (3) */
  RfPqEncoding encoding;        /* (4) */
  gint32 definition_levels_byte_length; /* (5) */
  gint32 repetition_levels_byte_length; /* (6) */
  gboolean is_compressed;       /* (7), TRUE when absent */
  gboolean has_statistics;
  RfPqStatistics statistics;    /* (8) */
} RfPqDataPageHeaderV2;

typedef struct
{
  RfPqPageType type;            /* (1) */
  gint32 uncompressed_page_size; /* (2) */
  gint32 compressed_page_size;  /* (3) */
  gboolean has_crc;
  guint32 crc;                  /* (4) CRC-32 of the page's (compressed) bytes */
  RfPqDataPageHeader data;      /* (5) valid when type == DATA */
  RfPqDictionaryPageHeader dictionary; /* (7) valid when type == DICTIONARY */
  RfPqDataPageHeaderV2 data_v2; /* (8) valid when type == DATA_V2 */
} RfPqPageHeader;

/* Decoding. The *_decode functions fill a zero-initialised struct; on
 * failure the struct is cleared again. consumed (may be NULL) receives the
 * number of bytes the struct took, which is how the reader finds where a
 * page's data starts. */
gboolean rf_pq_file_meta_data_decode  (const guint8      *data,
                                       gsize              length,
                                       RfPqFileMetaData  *meta,
                                       GError           **error);
gboolean rf_pq_page_header_decode     (const guint8      *data,
                                       gsize              length,
                                       RfPqPageHeader    *header,
                                       gsize             *consumed,
                                       GError           **error);

/* Encoding: appends the compact-protocol bytes to out. Only the fields
 * above are written (absent ones omitted), plus FileMetaData.column_orders
 * (7): TYPE_ORDER for every leaf when any column chunk has statistics,
 * without which readers may ignore min_value/max_value. */
void     rf_pq_file_meta_data_encode  (const RfPqFileMetaData *meta,
                                       GByteArray             *out);
void     rf_pq_page_header_encode     (const RfPqPageHeader   *header,
                                       GByteArray             *out);

/* Frees what the struct owns (not the struct); safe on a zeroed struct and
 * idempotent. */
void     rf_pq_file_meta_data_clear   (RfPqFileMetaData  *meta);
void     rf_pq_page_header_clear      (RfPqPageHeader    *header);
void     rf_pq_statistics_clear       (RfPqStatistics    *statistics);

/* Builders for the writer: zero the struct and allocate its arrays, with
 * clear functions set so that rf_pq_file_meta_data_clear() frees every
 * row group, column chunk, schema element and key-value appended to them
 * (a struct appended to a GArray belongs to the array).
 * rf_pq_column_chunk_init also sets has_meta_data (a written chunk always
 * carries its ColumnMetaData). */
void     rf_pq_file_meta_data_init    (RfPqFileMetaData  *meta);
void     rf_pq_row_group_init         (RfPqRowGroup      *row_group);
void     rf_pq_column_chunk_init      (RfPqColumnChunk   *chunk);
/* Zeroes the element and sets converted to RF_PQ_CONVERTED_NONE (zero
 * would mean UTF8). */
void     rf_pq_schema_element_init    (RfPqSchemaElement *element);

/* Names for messages: "INT32", "RLE_DICTIONARY", "ZSTD", "DATA_PAGE_V2". */
const char *rf_pq_type_to_string      (RfPqType           type);
const char *rf_pq_encoding_to_string  (RfPqEncoding       encoding);
const char *rf_pq_codec_to_string     (RfPqCodec          codec);
const char *rf_pq_page_type_to_string (RfPqPageType       type);

G_END_DECLS
