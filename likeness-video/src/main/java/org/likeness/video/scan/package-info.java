/** Scans that are kept: photo and video collections walked, sightings stored, identified, reviewed, rescanned and deleted. */
package org.likeness.video.scan;
