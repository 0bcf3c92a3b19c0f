/**
 * Where parameters and state live: the {@link io.treeprop.core.param.ParamLayout} of named blocks in the flat
 * parameter and state vectors, with nested scopes ({@code 4/conv1/W}). Depends on {@code init} only, so layers
 * (which declare blocks) and models (which own layouts) both build on it without a package cycle.
 */
package io.treeprop.core.param;
