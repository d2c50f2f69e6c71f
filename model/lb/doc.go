// Package lb models a layer-4 load balancer in front of identical server
// replicas: each new client connection goes to one replica, chosen by
// round-robin, least-connections or power-of-two-choices (pick two replicas
// at random, take the one with fewer open connections; Mitzenmacher 2001).
// With keep-alive, balancing per connection is what an L4 balancer (a
// Kubernetes Service, an NLB) does; requests then follow their connection.
package lb
