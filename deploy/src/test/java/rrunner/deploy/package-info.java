/**
 * Checks of the deployment files, which have no code of their own to test them: compose.yaml and .env.example,
 * the Helm chart under helm/r-runner (linted and rendered in-process by helm-java), and the monitoring
 * configuration under deploy/monitoring, and the functions of the run and test commands' scripts (run by bash
 * against temp files, real sockets and stand-in processes). Everything is read from the repository checkout;
 * nothing touches the network, the machine's Docker engine or a cluster.
 */
package rrunner.deploy;
