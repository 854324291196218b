"""What organizers do, once for every door: the chat's handlers and the console's pages call
these functions with the actor and the input, and only translate what comes back. Each keeps
its checks and writes its audit line inside, so no rule is written twice."""
