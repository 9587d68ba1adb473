/**
 * The execution image: keeping it present and current ({@link rrunner.worker.images.ImagePuller}, with its pull
 * policy in {@link rrunner.worker.images.ImageProperties}) and describing what it offers
 * ({@link rrunner.worker.images.PackageInventory}: R version and installed packages).
 */
package rrunner.worker.images;
