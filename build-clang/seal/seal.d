build-clang/seal/seal.o: seal/seal.c seal/seal.h seal/../common/err.h \
  seal/../common/io.h seal/../pages/sanitize.h \
  seal/../pages/../common/container.h seal/../pages/../common/err.h \
  seal/../pages/../common/io.h seal/../trust/pack.h \
  seal/../trust/../common/err.h seal/../trust/../crypto/sizes.h \
  seal/../common/fileio.h seal/../common/utf8.h seal/../crypto/bundle.h \
  seal/../trust/../crypto/../common/err.h \
  seal/../trust/../crypto/padme.h seal/container_write.h \
  seal/../common/container.h seal/sealpipe.h

seal/seal.h:

seal/../common/err.h:

seal/../common/io.h:

seal/../pages/sanitize.h:

seal/../pages/../common/container.h:

seal/../pages/../common/err.h:

seal/../pages/../common/io.h:

seal/../trust/pack.h:

seal/../trust/../common/err.h:

seal/../trust/../crypto/sizes.h:

seal/../common/fileio.h:

seal/../common/utf8.h:

seal/../crypto/bundle.h:

seal/../trust/../crypto/../common/err.h:

seal/../trust/../crypto/padme.h:

seal/container_write.h:

seal/../common/container.h:

seal/sealpipe.h:
