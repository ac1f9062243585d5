build-clang/pages/exif.o: pages/exif.c pages/report.h

pages/report.h:
