/** Derived, reproducible randomness: seeds are functions of (seed, purpose, epoch, step, partition). */
package io.treeprop.core.random;
