// --fixed-point-requant errors: a scale past the largest fixed-point
// multiplier (2^31 - 1) * 2^-1, and an unknown rounding option.
// RUN: quant-opt %s -split-input-file --fixed-point-requant -verify-diagnostics
// RUN: not quant-opt %s --fixed-point-requant="rounding=nearest" 2>&1 | FileCheck %s --check-prefix=OPTION
// OPTION: for the --rounding option: Cannot find option named 'nearest'!

func.func @too_large(%acc: tensor<2xi32>) -> tensor<2xi32> {
  // expected-error @+1 {{'qnn.requantize' op scale 1073741823.75 of channel 1 is not representable as a fixed-point multiplier m0 * 2^(shift - 31) (the largest is 1073741823.5)}}
  %0 = qnn.requantize %acc scale = [0.5, 1073741823.75] axis = 0 input_zero_point = 0 output_zero_point = 0 clamp = [-2147483648, 2147483647] rounding = double : tensor<2xi32> -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

func.func @huge(%acc: tensor<1xi32>) -> tensor<1xi32> {
  // expected-error @+1 {{scale 1e+20 of channel 0 is not representable}}
  %0 = qnn.requantize %acc scale = [1.0e+20] axis = 0 input_zero_point = 0 output_zero_point = 0 clamp = [-2147483648, 2147483647] rounding = double : tensor<1xi32> -> tensor<1xi32>
  return %0 : tensor<1xi32>
}
