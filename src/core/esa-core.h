#pragma once

#include "esa-calendar.h"
#include "esa-case-context.h"
#include "esa-core-error.h"
#include "esa-date.h"
#include "esa-hlc.h"
#include "esa-identifiers.h"
#include "esa-money.h"
#include "esa-parameters.h"
#include "esa-procedure.h"
#include "esa-rules.h"
#include "esa-uuid.h"
