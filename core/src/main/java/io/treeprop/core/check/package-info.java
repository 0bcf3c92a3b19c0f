/** Finite-difference gradient checking of layers, activations and losses. */
package io.treeprop.core.check;
