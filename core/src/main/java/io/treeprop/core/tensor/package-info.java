/**
 * Shapes of examples and the BLAS facade: every matrix product in Treeprop goes through {@link
 * io.treeprop.core.tensor.Blas#gemm}.
 */
package io.treeprop.core.tensor;
