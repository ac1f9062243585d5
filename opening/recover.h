/* Crash recovery for the desk: the log is the record an interrupted
 * open is finished from. */
#ifndef FERRY_RECOVER_H
#define FERRY_RECOVER_H

#include "../desk/desk.h"

/* Brings the vault up to date with the log after an interrupted open,
 * cuts off a torn partial log entry, and removes what an interrupted open
 * left in DESK/tmp. Call it holding the desk's lock exclusively. Fails closed when the log and
 * the vault disagree in any other way. */
int ferry_desk_recover(ferry_desk *d, ferry_err *e) FERRY_WUR;

#endif
