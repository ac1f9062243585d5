/* The contact guide (desk/guide.h). Its words are fixed text, the same
 * for every desk; only the page's SHA-256 and the pack's short name are
 * filled in. No heading says "ferry": the sheet may be found. */
#include "guide.h"

#include <stdio.h>
#include <string.h>

#include "../common/fileio.h"
#include "../common/io.h"

typedef struct {
	const char *lang, *title, *steps, *page, *keep;
} guide_text;

/* steps: list items; page: what to do about the offline page, with %s
 * for its SHA-256; keep: the last line. */
static const guide_text TEXT[3] = {
    {"ko", "설문지 사진을 봉인하는 법",
     "<li>답한 설문지의 모든 쪽을 평평하게, 밝은 곳에서 찍으세요. 적어도 한 장에는 "
     "네모난 코드(QR)가 선명하고 온전하게 나와야 합니다.</li>\n"
     "<li>봉인하세요: 네트워크를 끈 채 ferry-seal.html을 열고, 열쇠 카드의 데스크 지문을 "
     "입력하고, 사진을 고르고, 팩 단어를 입력한 뒤 봉인하기를 누르세요. 컴퓨터에서는 "
     "명령 하나로 됩니다: <code>ferry-seal --desk 지문 -o 폴더 사진...</code></li>\n"
     "<li>묶음을 저장하거나 공유해서 약속대로 보내세요.</li>\n"
     "<li>보낸 뒤에는 사진과 묶음을 지우세요. 갤러리의 &ldquo;최근 삭제된 항목&rdquo;에서도 "
     "지우세요.</li>\n",
     "<li>페이지는 설문지를 준 사람에게서 직접(케이블, 메모리 카드, 블루투스) 받으세요. "
     "링크나 메시지로 받은 것은 열지 마세요. 건네주는 사람이 먼저 컴퓨터에서 "
     "<code>sha256sum ferry-seal.html</code>로 확인합니다. 아래 숫자와 다르면 쓰지 마세요."
     "<br><span class=\"hash\">%s</span></li>\n",
     "팩 파일, 열쇠 카드, 팩 단어를 설문지와 함께 두지 마세요. 이 종이도 설문지와 따로 "
     "두고, 다 익히면 없애세요."},
    {"zh-CN", "如何封存问卷照片",
     "<li>把已填写问卷的每一页平放、在光线好的地方拍下来。至少要有一张照片清晰完整地拍到"
     "方形码（二维码）。</li>\n"
     "<li>封存：关闭网络，打开 ferry-seal.html，输入钥匙卡上编辑台的指纹，选择照片，输入包"
     "口令，然后点“封存”。在电脑上只需一条命令：<code>ferry-seal --desk 指纹 -o 文件夹 "
     "照片...</code></li>\n"
     "<li>保存或分享文件包，并按约定发出。</li>\n"
     "<li>发出后删除照片和文件包，包括相册“最近删除”中的。</li>\n",
     "<li>只从给你问卷的人那里当面获取页面（数据线、存储卡或蓝牙）。不要打开链接或消息里"
     "的页面。交给你的人先在电脑上用 <code>sha256sum ferry-seal.html</code> "
     "核对；与下面的数字不同就不要使用。<br><span class=\"hash\">%s</span></li>\n",
     "不要把包文件、钥匙卡或包口令和问卷放在一起。这张纸也要和问卷分开放，记住后就销毁。"},
    {"en", "How to seal the photos of a form",
     "<li>Photograph every page of the answered form, flat and in good light. In at "
     "least one photo the square code (QR) must be sharp and whole.</li>\n"
     "<li>Seal: with the network off, open ferry-seal.html, type the desk's fingerprint "
     "from your key card, pick the photos, type the pack word, press Seal. On a "
     "computer it is one command: <code>ferry-seal --desk FINGERPRINT -o FOLDER "
     "PHOTOS...</code></li>\n"
     "<li>Save or share the bundle and send it on as agreed.</li>\n"
     "<li>Once it is sent, delete the photos and the bundle, also from "
     "&ldquo;recently deleted&rdquo;.</li>\n",
     "<li>Take the page only in person from the one who gave you the forms (cable, "
     "memory card, Bluetooth), never from a link or a message. Whoever hands it over "
     "checks it first on a computer with <code>sha256sum ferry-seal.html</code>; a "
     "number other than this one: do not use it.<br><span class=\"hash\">%s</span></li>\n",
     "Never keep the pack file, the key card or the pack word with the forms. Keep this "
     "sheet apart from them too, and destroy it once you know it."},
};

static const char HEAD[] =
    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
    "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n"
    "<title>%s</title>\n<style>@page{size:auto;margin:12mm}body{font:10.5pt/1.35 'Noto Sans "
    "CJK KR','Noto Sans CJK SC',sans-serif;max-width:46em;margin:0 auto}h2{font-size:12pt;"
    "margin:.7em 0 .2em}ol{margin:.2em 0;padding-left:1.4em}p{margin:.3em 0}.hash{font:10pt "
    "monospace;border:1px solid #000;padding:.15em .4em;display:inline-block;margin-top:.2em}"
    ":lang(ko){word-break:keep-all}.pack{font-size:9pt;text-align:right}</style></head>"
    "<body>\n";

/* The SHA-256 in groups of eight, easier to compare by eye. */
static void grouped(char out[72], const char *hex)
{
	size_t k = 0;
	for (size_t i = 0; i < 64 && hex[i]; i++) {
		if (i && i % 8 == 0)
			out[k++] = ' ';
		out[k++] = hex[i];
	}
	out[k] = '\0';
}

static int putf(ferry_membuf *m, const char *fmt, const char *arg)
{
	char buf[2048];
	int n = snprintf(buf, sizeof buf, fmt, arg);
	return n < 0 || (size_t)n >= sizeof buf ? -1 : ferry_membuf_puts(m, buf);
}

int ferry_guide_write(const char *dir, const char *pack_name, const char *page_sha256,
                      char *path, size_t cap, ferry_err *e)
{
	char name[64], hash[72] = "";
	ferry_membuf m = {NULL, 0, 0};
	if (page_sha256)
		grouped(hash, page_sha256);
	int bad = putf(&m, HEAD, TEXT[2].title);
	bad |= putf(&m, "<p class=\"pack\">%s</p>\n", pack_name);
	for (size_t i = 0; i < sizeof TEXT / sizeof *TEXT; i++) {
		bad |= putf(&m, "<section lang=\"%s\">", TEXT[i].lang);
		bad |= putf(&m, "<h2>%s</h2><ol>\n", TEXT[i].title);
		bad |= ferry_membuf_puts(&m, TEXT[i].steps);
		if (page_sha256)
			bad |= putf(&m, TEXT[i].page, hash);
		bad |= putf(&m, "</ol><p>%s</p></section>\n", TEXT[i].keep);
	}
	bad |= ferry_membuf_puts(&m, "</body></html>\n");
	snprintf(name, sizeof name, "contact-guide-%s.html", pack_name);
	int rc = FERRY_OK;
	if (bad)
		rc = ferry_fail(e, FERRY_EOP, "out of memory");
	else if (ferry_path_join(path, cap, dir, name) != 0)
		rc = ferry_fail(e, FERRY_EOP, "the output path is too long");
	else
		rc = ferry_write_new(path, m.p, m.len, 0644, e);
	ferry_membuf_free(&m);
	return rc;
}
