/* Crash recovery for the desk: the log is the record an interrupted
 * open is finished from. */
#ifndef FERRY_RECOVER_H
#define FERRY_RECOVER_H

#include "desk.h"

/* Brings the vault up to date with the log after an interrupted open,
 * and cuts off a torn partial log entry. Fails closed when the log and
 * the vault disagree in any other way. */
int ferry_desk_recover(ferry_desk *d, ferry_err *e) FERRY_WUR;

#endif
