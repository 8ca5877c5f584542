/** Test footage with known truth: scripted scenes rendered from real face photos, and the tracking metrics measured on them. */
package org.likeness.video.synthetic;
