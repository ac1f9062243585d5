build-clang/pages/report.o: pages/report.c pages/report.h

pages/report.h:
