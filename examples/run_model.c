/* A C program that links a model compiled by quant-compile and runs it.
 *
 *   quant-compile model.mlir --emit=shared -o model.so --header=model.h
 *   clang -I. -DQNN_MODEL_HEADER='"model.h"' examples/run_model.c model.so -o run_model
 *   ./run_model input.bin          # raw input0 elements, native byte order
 *
 * Prints output0, one element per line. Works for any model whose entry is
 * @main with one input and one output (the header gives their types and
 * sizes); for float I/O only.
 */
#include <stdio.h>
#include <stdlib.h>

#ifndef QNN_MODEL_HEADER
#define QNN_MODEL_HEADER "model.h"
#endif
#include QNN_MODEL_HEADER

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s input.bin\n", argv[0]);
    return 2;
  }
  static float input[QNN_MAIN_INPUT0_SIZE];
  static float output[QNN_MAIN_OUTPUT0_SIZE];
  FILE *f = fopen(argv[1], "rb");
  if (!f) {
    fprintf(stderr, "%s: cannot open '%s'\n", argv[0], argv[1]);
    return 1;
  }
  size_t n = fread(input, sizeof(float), QNN_MAIN_INPUT0_SIZE, f);
  int extra = fgetc(f) != EOF;
  fclose(f);
  if (n != QNN_MAIN_INPUT0_SIZE || extra) {
    fprintf(stderr, "%s: '%s' must hold exactly %d float32 values\n", argv[0],
            argv[1], QNN_MAIN_INPUT0_SIZE);
    return 1;
  }
  qnn_main(input, output);
  for (int i = 0; i < QNN_MAIN_OUTPUT0_SIZE; ++i)
    printf("%.9g\n", output[i]);
  return 0;
}
