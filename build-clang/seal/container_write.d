build-clang/seal/container_write.o: seal/container_write.c \
  seal/container_write.h seal/../common/container.h seal/../common/io.h \
  seal/../common/err.h seal/../common/le.h

seal/container_write.h:

seal/../common/container.h:

seal/../common/io.h:

seal/../common/err.h:

seal/../common/le.h:
