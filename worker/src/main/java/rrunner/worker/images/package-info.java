/**
 * The images of the environments a worker serves: keeping each present and current
 * ({@link rrunner.worker.images.ImagePuller}, with its pull policy in {@link rrunner.worker.images.ImageProperties}),
 * describing what it offers ({@link rrunner.worker.images.PackageInventory}: R version and installed packages,
 * published by {@link rrunner.worker.images.InventoryPublisher}) and whether it can run jobs now
 * ({@link rrunner.worker.images.EnvironmentReports}, for the heartbeat).
 */
package rrunner.worker.images;
