/** Readers for data formats the engine itself needs (IDX, the MNIST format); no Hadoop here. */
package io.treeprop.core.data;
