/** Model packs (manifests, sha256 checks, the cache) and ONNX Runtime sessions. */
package org.likeness.engine.model;
