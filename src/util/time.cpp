#include "util/time.h"
