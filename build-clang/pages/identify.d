build-clang/pages/identify.o: pages/identify.c pages/sanitize.h \
  pages/../common/container.h pages/../common/err.h pages/../common/io.h

pages/sanitize.h:

pages/../common/container.h:

pages/../common/err.h:

pages/../common/io.h:
