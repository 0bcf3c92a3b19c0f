/** Kryo registration for everything Treeprop sends through Spark. */
package io.treeprop.spark.serde;
