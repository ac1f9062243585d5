/* What zbar's configure would write in config.h for the page and the static build:
 * the image scanner with the QR decoder alone, no video, no window, no
 * threads, no other symbologies. zbar's sources include <config.h>;
 * srclibs/zbar/config.h points here. */
#ifndef FERRY_ZBAR_CONFIG_H
#define FERRY_ZBAR_CONFIG_H
#define ENABLE_QRCODE 1
#define HAVE_INTTYPES_H 1
#define HAVE_ERRNO_H 1
#define HAVE_SYS_TIME_H 1
#define HAVE_UNISTD_H 1
#define NO_STATS 1
#define ZBAR_VERSION_MAJOR 0
#define ZBAR_VERSION_MINOR 23
#define ZBAR_VERSION_PATCH 92
#endif
