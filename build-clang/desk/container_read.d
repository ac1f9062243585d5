build-clang/desk/container_read.o: desk/container_read.c \
  desk/container_read.h desk/../common/container.h desk/../common/err.h \
  desk/../common/le.h

desk/container_read.h:

desk/../common/container.h:

desk/../common/err.h:

desk/../common/le.h:
