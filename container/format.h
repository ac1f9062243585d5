/* The container: what a bundle's payload carries, as self-delimiting
 * records, so it can be written in one streaming pass. This header is
 * the format both sides share (docs/FORMAT.md, "Container"); the writer
 * is container/container_write.h, the reader container/container_read.h, so that
 * neither program links the other's half. */
#ifndef FERRY_CONTAINER_H
#define FERRY_CONTAINER_H

#include <stddef.h>
#include <stdint.h>

enum {
	FERRY_ITEM_PAGE_JPEG = 1,
	FERRY_ITEM_PAGE_PNG = 2,
	FERRY_ITEM_ANSWERS = 3,   /* UTF-8 text, deflated */
	FERRY_ITEM_ATTACHMENT = 4 /* opaque, metadata not removed */
};

#define FERRY_ITEM_MAX    1000u
#define FERRY_REPORT_MAX  4000u
#define FERRY_ANSWERS_MAX (16u << 20) /* inflated */

/* Record layout. */
#define FERRY_CT_MAGIC          "FERRYCT1"
#define FERRY_CT_MAGIC_LEN      8
#define FERRY_CT_ITEM           1
#define FERRY_CT_DATA           2
#define FERRY_CT_ITEM_END       3
#define FERRY_CT_END            4
#define FERRY_CT_REC_HDR        5 /* type 1 + length 4 */
#define FERRY_CT_DATA_MAX       65536u
#define FERRY_CT_ITEM_END_FIXED 11 /* size 8, orientation 1, report length 2 */

_Static_assert(sizeof FERRY_CT_MAGIC - 1 == FERRY_CT_MAGIC_LEN, "container magic");

typedef struct {
	uint8_t kind;
	uint8_t orientation; /* EXIF orientation 1..8, 0 = none */
	uint64_t size;       /* bytes of the item as the desk stores it */
	char report[FERRY_REPORT_MAX + 1];
} ferry_item_info;

static inline int ferry_item_kind_valid(uint8_t k)
{
	return k >= FERRY_ITEM_PAGE_JPEG && k <= FERRY_ITEM_ATTACHMENT;
}

#endif
