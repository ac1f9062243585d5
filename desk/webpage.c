/* The offline page handed out with a pack (desk/webpage.h). */
#include "webpage.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/fileio.h"
#include "../common/io.h"

/* What every page make web writes carries (web/page.html, web/assemble.js). */
#define PAGE_POLICY                                                                    \
	"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
#define PAGE_MARKER "ferry-seal, offline page"

static int contains(const uint8_t *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (hay[i] == (uint8_t)needle[0] && !memcmp(hay + i, needle, k))
			return 1;
	return 0;
}

int ferry_webpage_load(ferry_webpage *w, const char *path, ferry_err *e)
{
	uint8_t h[crypto_hash_sha256_BYTES];
	memset(w, 0, sizeof *w);
	if (ferry_read_file(path, FERRY_WEBPAGE_MAX, &w->bytes, &w->len,
	                    "the offline page", e) != FERRY_OK)
		return FERRY_EOP;
	if (!contains(w->bytes, w->len, PAGE_POLICY) ||
	    !contains(w->bytes, w->len, PAGE_MARKER)) {
		ferry_webpage_free(w);
		return ferry_fail_hint(
		    e, FERRY_EUSAGE,
		    "give the page 'make web' writes: build/web/ferry-seal.html",
		    "'%s' is not ferry's offline page", path);
	}
	crypto_hash_sha256(h, w->bytes, w->len);
	sodium_bin2hex(w->sha256, sizeof w->sha256, h, sizeof h);
	return FERRY_OK;
}

void ferry_webpage_free(ferry_webpage *w)
{
	free(w->bytes);
	memset(w, 0, sizeof *w);
}

/* The guide: what the contact (and whoever hands the page over) does, in
 * the page's three languages, on one printed page. %1$s is the page's
 * SHA-256 in groups, %2$s the pack's short name. */
static const char GUIDE_HEAD[] =
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
    "style-src 'unsafe-inline'\">\n<title>ferry: the offline page</title>\n"
    "<style>@page{size:auto;margin:12mm}body{font:10.5pt/1.35 'Noto Sans CJK KR','Noto "
    "Sans CJK SC',sans-serif;max-width:46em;margin:0 auto}h2{font-size:11.5pt;margin:.6em "
    "0 .2em}ol{margin:.2em 0;padding-left:1.4em}.hash{font:11pt monospace;border:1px "
    "solid #000;padding:.3em .5em;display:inline-block}:lang(ko){word-break:keep-all}"
    "</style></head><body>\n";

static const char GUIDE_BODY[] =
    "<p><b>ferry-seal.html</b> (pack %2$s) &mdash; SHA-256:<br><span "
    "class=\"hash\">%1$s</span></p>\n"
    "<section lang=\"en\"><h2>The offline page: how to get it, check it, use it</h2><ol>\n"
    "<li>Take the page only in person, from the one who gave you the forms: by cable, "
    "memory card or Bluetooth. Never open it from a link or a message.</li>\n"
    "<li>Whoever hands it over checks it first on a computer: <code>sha256sum "
    "ferry-seal.html</code> must print the number above. Another number: do not use "
    "it, and tell the desk.</li>\n"
    "<li>On the phone, open the file itself (Files, then ferry-seal.html), with the "
    "network off. It loads nothing and sends nothing.</li>\n"
    "<li>Type the desk's fingerprint from your key card, pick or take the photos of the "
    "answered form, type the pack word from your key card, press Seal.</li>\n"
    "<li>Save or share the bundle and send it on as agreed. Then delete the bundle and "
    "the photos, also from &ldquo;recently deleted&rdquo;.</li></ol></section>\n"
    "<section lang=\"ko\"><h2>오프라인 페이지: 받는 법, 확인하는 법, 쓰는 법</h2><ol>\n"
    "<li>페이지는 설문지를 준 사람에게서 직접, 케이블이나 메모리 카드나 블루투스로만 "
    "받으세요. 링크나 메시지로 받은 것은 절대 열지 마세요.</li>\n"
    "<li>건네주는 사람이 먼저 컴퓨터에서 확인합니다: <code>sha256sum "
    "ferry-seal.html</code>이 위의 숫자를 보여야 합니다. 숫자가 다르면 쓰지 말고 "
    "데스크에 알리세요.</li>\n"
    "<li>휴대폰에서 네트워크를 끈 채로 파일 자체(파일 앱에서 ferry-seal.html)를 "
    "여세요. 아무것도 불러오거나 보내지 않습니다.</li>\n"
    "<li>열쇠 카드의 데스크 지문을 입력하고, 답한 설문지의 사진을 고르거나 찍고, "
    "열쇠 카드의 팩 단어를 입력한 뒤 봉인하기를 누르세요.</li>\n"
    "<li>묶음을 저장하거나 공유해서 약속대로 보내세요. 그다음 묶음과 사진을 "
    "지우세요. &ldquo;최근 삭제된 항목&rdquo;에서도 지우세요.</li></ol></section>\n"
    "<section lang=\"zh\"><h2>离线页面：如何获取、核对、使用</h2><ol>\n"
    "<li>只从给你问卷的人那里当面获取页面：用数据线、存储卡或蓝牙。绝不要打开链接或消息"
    "里的页面。</li>\n"
    "<li>交给你的人先在电脑上核对：<code>sha256sum ferry-seal.html</code> "
    "必须显示上面的数字。数字不同就不要使用，并告诉编辑台。</li>\n"
    "<li>在手机上关闭网络，直接打开文件本身（在“文件”中打开 "
    "ferry-seal.html）。它不加载也不发送任何东西。</li>\n"
    "<li>输入钥匙卡上编辑台的指纹，选择或拍摄已填写问卷的照片，输入钥匙卡上的包口令，"
    "然后点“封存”。</li>\n"
    "<li>保存或分享文件包，并按约定发出。然后删除文件包和照片，包括“最近删除”中的。"
    "</li></ol></section>\n</body></html>\n";

/* The SHA-256 in groups of eight, easier to compare by eye. */
static void grouped(char out[72], const char hex[65])
{
	size_t k = 0;
	for (size_t i = 0; i < 64; i++) {
		if (i && i % 8 == 0)
			out[k++] = ' ';
		out[k++] = hex[i];
	}
	out[k] = '\0';
}

static int write_new(const char *dir, const char *name, const uint8_t *p, size_t n,
                     char *path, size_t cap, ferry_err *e)
{
	if (ferry_path_join(path, cap, dir, name) != 0)
		return ferry_fail(e, FERRY_EOP, "the output path is too long");
	if (ferry_atomic_write(path, p, n, 0644, 1) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot write '%s': %s", path,
		                  errno == EEXIST ? "it already exists"
		                                  : strerror(errno));
	return FERRY_OK;
}

int ferry_webpage_write(const ferry_webpage *w, const char *dir, const char *pack_name,
                        char *guide, size_t cap, ferry_err *e)
{
	char page[FERRY_PATH_MAX], sumpath[FERRY_PATH_MAX], name[64], sum[128],
	    hash[72];
	ferry_membuf m = {NULL, 0, 0};
	grouped(hash, w->sha256);
	int n = snprintf(sum, sizeof sum, "%s  %s\n", w->sha256, FERRY_WEBPAGE_NAME);
	snprintf(name, sizeof name, "contact-guide-%s.html", pack_name);
	size_t len = sizeof GUIDE_BODY + 2 * sizeof hash + 16;
	char *body = malloc(len);
	if (!body || ferry_membuf_puts(&m, GUIDE_HEAD) != 0) {
		free(body);
		ferry_membuf_free(&m);
		return ferry_fail(e, FERRY_EOP, "out of memory");
	}
	snprintf(body, len, GUIDE_BODY, hash, pack_name);
	int rc = ferry_membuf_puts(&m, body) == 0
	             ? FERRY_OK
	             : ferry_fail(e, FERRY_EOP, "out of memory");
	free(body);
	/* All three or none: what this call wrote is removed on a failure. */
	if (rc == FERRY_OK && (rc = write_new(dir, FERRY_WEBPAGE_NAME, w->bytes, w->len,
	                                      page, sizeof page, e)) == FERRY_OK) {
		if ((rc = write_new(dir, FERRY_WEBPAGE_NAME ".sha256",
		                    (const uint8_t *)sum, (size_t)n, sumpath,
		                    sizeof sumpath, e)) != FERRY_OK) {
			(void)unlink(page);
		} else if ((rc = write_new(dir, name, m.p, m.len, guide, cap, e)) !=
		           FERRY_OK) {
			(void)unlink(sumpath);
			(void)unlink(page);
		}
	}
	ferry_membuf_free(&m);
	return rc;
}
