build-clang/forms/qr.o: forms/qr.c forms/qr.h forms/../common/io.h \
  forms/../common/err.h /usr/include/libpng16/png.h \
  /usr/include/libpng16/pnglibconf.h /usr/include/libpng16/pngconf.h

forms/qr.h:

forms/../common/io.h:

forms/../common/err.h:

/usr/include/libpng16/png.h:

/usr/include/libpng16/pnglibconf.h:

/usr/include/libpng16/pngconf.h:
