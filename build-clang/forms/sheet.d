build-clang/forms/sheet.o: forms/sheet.c forms/sheet.h \
  forms/../common/io.h forms/../common/err.h forms/questions.h

forms/sheet.h:

forms/../common/io.h:

forms/../common/err.h:

forms/questions.h:
