build-clang/pages/sanitize_jpeg.o: pages/sanitize_jpeg.c pages/sanitize.h \
  pages/../common/container.h pages/../common/err.h pages/../common/io.h \
  pages/report.h

pages/sanitize.h:

pages/../common/container.h:

pages/../common/err.h:

pages/../common/io.h:

pages/report.h:
