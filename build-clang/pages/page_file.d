build-clang/pages/page_file.o: pages/page_file.c pages/../common/fileio.h \
  pages/../common/err.h pages/sanitize.h pages/../common/container.h \
  pages/../common/io.h

pages/../common/fileio.h:

pages/../common/err.h:

pages/sanitize.h:

pages/../common/container.h:

pages/../common/io.h:
