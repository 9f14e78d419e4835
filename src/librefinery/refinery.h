/* refinery.h: the core library in one include. No GTK in here, ever. */
#pragma once

#include "rf-column.h"
#include "rf-error.h"
#include "rf-json-build.h"
#include "rf-progress.h"
#include "rf-rng.h"
#include "rf-table.h"
#include "rf-timestamp.h"

#include "io/rf-csv-reader.h"
#include "io/rf-csv-writer.h"
#include "io/rf-format.h"
#include "io/rf-json-reader.h"
#include "io/rf-json-writer.h"
#include "io/rf-reader.h"

#include "model/rf-model.h"
#include "model/rf-transformer.h"
#include "model/rf-tvae.h"

#include "prep/rf-profile.h"

#include "project/rf-atomic-file.h"
#include "project/rf-ingest.h"
#include "project/rf-project.h"
