build-clang/seal/sealpipe.o: seal/sealpipe.c seal/sealpipe.h \
  seal/../common/io.h seal/../common/err.h seal/../crypto/bundle.h \
  seal/../crypto/../common/err.h seal/../crypto/sizes.h \
  seal/../crypto/padme.h

seal/sealpipe.h:

seal/../common/io.h:

seal/../common/err.h:

seal/../crypto/bundle.h:

seal/../crypto/../common/err.h:

seal/../crypto/sizes.h:

seal/../crypto/padme.h:
