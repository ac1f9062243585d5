build-clang/forms/questions.o: forms/questions.c forms/questions.h \
  forms/../common/err.h forms/../common/utf8.h

forms/questions.h:

forms/../common/err.h:

forms/../common/utf8.h:
