build-clang/pages/sanitize_png.o: pages/sanitize_png.c \
  /usr/include/libpng16/png.h /usr/include/libpng16/pnglibconf.h \
  /usr/include/libpng16/pngconf.h pages/sanitize.h \
  pages/../common/container.h pages/../common/err.h pages/../common/io.h \
  pages/report.h

/usr/include/libpng16/png.h:

/usr/include/libpng16/pnglibconf.h:

/usr/include/libpng16/pngconf.h:

pages/sanitize.h:

pages/../common/container.h:

pages/../common/err.h:

pages/../common/io.h:

pages/report.h:
