/** Helpers shared by {@code org.slt4j.check} and {@code org.slt4j.cli}; internal, not a supported API. */
package org.slt4j.check.internal;
