build-clang/tests/test_forms.o: tests/unit/test_forms.c \
  tests/unit/../support/t.h tests/unit/../../trust/pack.h \
  tests/unit/../../trust/../common/err.h tests/unit/../../forms/qr.h \
  tests/unit/../../forms/../common/io.h \
  tests/unit/../../forms/questions.h \
  tests/unit/../../forms/../common/err.h tests/unit/../../forms/sheet.h

tests/unit/../support/t.h:

tests/unit/../../trust/pack.h:

tests/unit/../../trust/../common/err.h:

tests/unit/../../forms/qr.h:

tests/unit/../../forms/../common/io.h:

tests/unit/../../forms/questions.h:

tests/unit/../../forms/../common/err.h:

tests/unit/../../forms/sheet.h:
