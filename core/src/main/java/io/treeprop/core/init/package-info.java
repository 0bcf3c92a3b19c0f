/** Parameter initializers: zeros, constant, uniform, normal, He and Xavier (normal and uniform). */
package io.treeprop.core.init;
