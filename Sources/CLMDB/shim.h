#ifndef SOM_CLMDB_SHIM_H
#define SOM_CLMDB_SHIM_H
#include <lmdb.h>
#endif
