#pragma once

#include "esa-core-error.h"
#include "esa-date.h"
#include "esa-hlc.h"
#include "esa-identifiers.h"
#include "esa-money.h"
#include "esa-uuid.h"
