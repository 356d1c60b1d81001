// Broken files and unsupported models: a message naming the file, the node,
// its op type and the offending attribute and value; exit code 1; no
// output file.

// RUN: not quant-import-onnx %t.does-not-exist.onnx 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: error: cannot read '{{.*}}does-not-exist.onnx': No such file or directory

// RUN: %python %S/make_model.py empty %t.empty.onnx
// RUN: not quant-import-onnx %t.empty.onnx 2>&1 | FileCheck %s --check-prefix=EMPTY
// EMPTY: error: '{{.*}}empty.onnx' is empty, not an ONNX model

// RUN: %python %S/make_model.py garbage %t.garbage.onnx
// RUN: not quant-import-onnx %t.garbage.onnx 2>&1 | FileCheck %s --check-prefix=GARBAGE
// GARBAGE: error: '{{.*}}garbage.onnx' is not a valid ONNX model: the protobuf data is truncated or corrupt

// RUN: %python %S/make_model.py truncated %t.truncated.onnx
// RUN: not quant-import-onnx %t.truncated.onnx 2>&1 | FileCheck %s --check-prefix=TRUNCATED
// TRUNCATED: error: '{{.*}}truncated.onnx' is not a valid ONNX model: the protobuf data is truncated or corrupt

// A failed import writes nothing, not even an empty file.
// RUN: rm -f %t.out.mlir
// RUN: not quant-import-onnx %t.truncated.onnx -o %t.out.mlir
// RUN: not test -e %t.out.mlir
// An existing output file is left as it was.
// RUN: echo previous > %t.keep.mlir
// RUN: not quant-import-onnx %t.truncated.onnx -o %t.keep.mlir
// RUN: FileCheck %s --check-prefix=KEEP --input-file=%t.keep.mlir
// KEEP: previous

// RUN: %python %S/make_model.py conv_basic %t.good.onnx
// RUN: not quant-import-onnx %t.good.onnx -o %t.no-such-dir/out.mlir 2>&1 | FileCheck %s --check-prefix=NODIR
// NODIR: quant-import-onnx: cannot write '{{.*}}no-such-dir/out.mlir'

// RUN: %python %S/make_model.py opset_5 %t.opset5.onnx
// RUN: not quant-import-onnx %t.opset5.onnx 2>&1 | FileCheck %s --check-prefix=OPSET5
// OPSET5: opset5.onnx:0:0: error: unsupported opset version 5 of the default ONNX domain (supported: 6 to 17)

// RUN: %python %S/make_model.py opset_18 %t.opset18.onnx
// RUN: not quant-import-onnx %t.opset18.onnx 2>&1 | FileCheck %s --check-prefix=OPSET18
// OPSET18: error: unsupported opset version 18 of the default ONNX domain (supported: 6 to 17)

// RUN: %python %S/make_model.py unsupported_op %t.op.onnx
// RUN: not quant-import-onnx %t.op.onnx 2>&1 | FileCheck %s --check-prefix=OP
// OP: error: node 'n' (LeakyRelu): unsupported op type 'LeakyRelu'

// RUN: %python %S/make_model.py unsupported_domain %t.domain.onnx
// RUN: not quant-import-onnx %t.domain.onnx 2>&1 | FileCheck %s --check-prefix=DOMAIN
// DOMAIN: error: node 'n' (Relu): unsupported op domain 'com.microsoft' (only the default ONNX domain is supported)

// RUN: %python %S/make_model.py bad_auto_pad %t.autopad.onnx
// RUN: not quant-import-onnx %t.autopad.onnx 2>&1 | FileCheck %s --check-prefix=AUTOPAD
// AUTOPAD: error: node 'conv' (Conv): unsupported auto_pad = 'SAME' (expected NOTSET, SAME_UPPER, SAME_LOWER or VALID)

// RUN: %python %S/make_model.py unknown_attribute %t.attr.onnx
// RUN: not quant-import-onnx %t.attr.onnx 2>&1 | FileCheck %s --check-prefix=ATTR
// ATTR: error: node 'conv' (Conv): unsupported attribute 'fancy'

// RUN: %python %S/make_model.py attribute_type %t.attrtype.onnx
// RUN: not quant-import-onnx %t.attrtype.onnx 2>&1 | FileCheck %s --check-prefix=ATTRTYPE
// ATTRTYPE: error: node 'conv' (Conv): attribute 'group' must be an integer (INT), got FLOAT

// RUN: %python %S/make_model.py ceil_mode_changes %t.ceil.onnx
// RUN: not quant-import-onnx %t.ceil.onnx 2>&1 | FileCheck %s --check-prefix=CEIL
// CEIL: error: node 'n' (MaxPool): ceil_mode = 1 is not supported where it changes the output size (spatial dimension 0: 2 with ceil_mode = 0, 3 with ceil_mode = 1)

// RUN: %python %S/make_model.py maxpool_dilation %t.dil.onnx
// RUN: not quant-import-onnx %t.dil.onnx 2>&1 | FileCheck %s --check-prefix=DIL
// DIL: error: node 'n' (MaxPool): unsupported dilations = [2, 2] (only 1 is supported)

// RUN: %python %S/make_model.py maxpool_storage_order %t.order.onnx
// RUN: not quant-import-onnx %t.order.onnx 2>&1 | FileCheck %s --check-prefix=ORDER
// ORDER: error: node 'n' (MaxPool): unsupported storage_order = 1 (only 0, row major, is supported)

// RUN: %python %S/make_model.py pad_wrap %t.wrap.onnx
// RUN: not quant-import-onnx %t.wrap.onnx 2>&1 | FileCheck %s --check-prefix=WRAP
// WRAP: error: node 'n' (Pad): unsupported mode = 'wrap' (expected constant, reflect or edge)

// RUN: %python %S/make_model.py softmax_11_mismatch %t.softmax.onnx
// RUN: not quant-import-onnx %t.softmax.onnx 2>&1 | FileCheck %s --check-prefix=SOFTMAX
// SOFTMAX: error: node 'n' (Softmax): unsupported axis = 1 for input shape [1, 3, 2, 2]: opset 11 normalizes over all dimensions from the axis on

// RUN: %python %S/make_model.py batchnorm_training %t.bntrain.onnx
// RUN: not quant-import-onnx %t.bntrain.onnx 2>&1 | FileCheck %s --check-prefix=BNTRAIN
// BNTRAIN: error: node 'n' (BatchNormalization): unsupported training_mode = 1 (only inference, 0, is supported)

// Opset 6 means training unless is_test = 1.
// RUN: %python %S/make_model.py batchnorm_opset6_training %t.bn6.onnx
// RUN: not quant-import-onnx %t.bn6.onnx 2>&1 | FileCheck %s --check-prefix=BN6
// BN6: error: node 'n' (BatchNormalization): unsupported is_test = 0 (only inference, 1, is supported)

// RUN: %python %S/make_model.py dropout_opset6_training %t.drop6.onnx
// RUN: not quant-import-onnx %t.drop6.onnx 2>&1 | FileCheck %s --check-prefix=DROP6
// DROP6: error: node 'n' (Dropout): unsupported is_test = 0 (only inference, 1, is supported)

// RUN: %python %S/make_model.py dropout_mask_used %t.mask.onnx
// RUN: not quant-import-onnx %t.mask.onnx 2>&1 | FileCheck %s --check-prefix=MASK
// MASK: error: node 'drop' (Dropout): output #1 'mask' is not supported

// RUN: %python %S/make_model.py group_mismatch %t.group.onnx
// RUN: not quant-import-onnx %t.group.onnx 2>&1 | FileCheck %s --check-prefix=GROUP
// GROUP: error: node 'conv' (Conv): group = 2 does not fit the input channels 4 and the filter [2, 3, 3, 3]

// RUN: %python %S/make_model.py conv_3d %t.conv3d.onnx
// RUN: not quant-import-onnx %t.conv3d.onnx 2>&1 | FileCheck %s --check-prefix=CONV3D
// CONV3D: error: node 'conv' (Conv): only 2-D images (4-D NCHW inputs) are supported, got a rank-5 input

// RUN: %python %S/make_model.py broadcast_error %t.bcast.onnx
// RUN: not quant-import-onnx %t.bcast.onnx 2>&1 | FileCheck %s --check-prefix=BCAST
// BCAST: error: node 'n' (Add): operand shapes [2, 5] and [4] do not broadcast

// RUN: %python %S/make_model.py quantized_into_add %t.qadd.onnx
// RUN: not quant-import-onnx %t.qadd.onnx 2>&1 | FileCheck %s --check-prefix=QADD
// QADD: error: node 'add' (Add): input 'xq' is a quantized tensor; only DequantizeLinear and shape ops may read QuantizeLinear results

// RUN: %python %S/make_model.py reshape_dynamic_shape %t.dynshape.onnx
// RUN: not quant-import-onnx %t.dynshape.onnx 2>&1 | FileCheck %s --check-prefix=DYNSHAPE
// DYNSHAPE: error: graph input 's' has element type INT64; only FLOAT inputs are supported

// RUN: %python %S/make_model.py symbolic_channels %t.symc.onnx
// RUN: not quant-import-onnx %t.symc.onnx 2>&1 | FileCheck %s --check-prefix=SYMC
// SYMC: error: graph input 'x' has a symbolic dimension 'C' at index 1; only the leading (batch) dimension may be symbolic

// RUN: %python %S/make_model.py external_data %t.external.onnx
// RUN: not quant-import-onnx %t.external.onnx 2>&1 | FileCheck %s --check-prefix=EXTERNAL
// EXTERNAL: error: initializer 'w' uses external data, which is not supported

// RUN: %python %S/make_model.py raw_size_mismatch %t.rawsize.onnx
// RUN: not quant-import-onnx %t.rawsize.onnx 2>&1 | FileCheck %s --check-prefix=RAWSIZE
// RAWSIZE: error: initializer 'w' holds 7 bytes of raw data, expected 36 for 9 FLOAT elements

// RUN: %python %S/make_model.py wrong_output_shape %t.outshape.onnx
// RUN: not quant-import-onnx %t.outshape.onnx 2>&1 | FileCheck %s --check-prefix=OUTSHAPE
// OUTSHAPE: error: graph output 'y' is declared with shape [1, 4] but computes shape [1, 3]

// RUN: %python %S/make_model.py undefined_input %t.undef.onnx
// RUN: not quant-import-onnx %t.undef.onnx 2>&1 | FileCheck %s --check-prefix=UNDEF
// UNDEF: error: node 'relu' (Relu): input 'nowhere' is not produced by any node, initializer or graph input

// RUN: not quant-import-onnx %t.good.onnx --batch-size=0 2>&1 | FileCheck %s --check-prefix=BATCH0
// BATCH0: error: the batch size must be positive, got 0

// RUN: %python %S/make_model.py pool_pads_too_large %t.poolpads.onnx
// RUN: not quant-import-onnx %t.poolpads.onnx 2>&1 | FileCheck %s --check-prefix=POOLPADS
// POOLPADS: error: node 'n' (AveragePool): pads [2, 0, 0, 0] must be smaller than the kernel [2, 2]

// RUN: %python %S/make_model.py bn_negative_epsilon %t.eps.onnx
// RUN: not quant-import-onnx %t.eps.onnx 2>&1 | FileCheck %s --check-prefix=EPS
// EPS: error: node 'n' (BatchNormalization): unsupported epsilon = -1 (must be non-negative and finite)

// RUN: %python %S/make_model.py pad_reflect_too_large %t.reflect.onnx
// RUN: not quant-import-onnx %t.reflect.onnx 2>&1 | FileCheck %s --check-prefix=REFLECT
// REFLECT: error: node 'n' (Pad): reflect pads 2 and 0 of dimension 2 must be smaller than its size 2

// RUN: %python %S/make_model.py reshape_mismatch %t.reshape.onnx
// RUN: not quant-import-onnx %t.reshape.onnx 2>&1 | FileCheck %s --check-prefix=RESHAPE
// RESHAPE: error: node 'n' (Reshape): cannot reshape [2, 3] to [4, 2]
