//! Dependency graphs and their cycles, for both graphs synth checks: resources (and conditions)
//! inside a stack, and the stacks of an app.
//!
//! A graph is nodes `0..n` and, for each node, the nodes it depends on. One depth-first search,
//! [`search`], finds its strongly connected components (Tarjan's algorithm), the order in which
//! they can be created, and the first cycle it meets. It keeps its own stack of nodes instead of
//! recursing, so a chain of 100,000 dependencies takes no more of the thread's stack than one.
//! [`topo_order`] orders the stacks of an app; [`find_cycles`] names every circle of resources
//! or conditions.

/// What a depth-first search over every node finds: the search starts from the nodes in index
/// order and follows each node's edges in the order given, so the result is deterministic.
pub(crate) struct Search {
    /// The strongly connected components, each with its members in node order, in the order
    /// the search completes them: a component comes after every component it depends on.
    pub components: Vec<Vec<usize>>,
    /// The index in `components` of each node's component.
    pub component_of: Vec<usize>,
    /// The first cycle the search met, in the order it followed the edges, starting at the
    /// node the closing edge leads back to (without repeating it at the end).
    pub first_cycle: Option<Vec<usize>>,
}

/// Searches the graph `edges` (node to the nodes it depends on) depth first: Tarjan's
/// algorithm, with an explicit stack of frames instead of recursion.
pub(crate) fn search(edges: &[Vec<usize>]) -> Search {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut order = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut components: Vec<Vec<usize>> = Vec::new();
    let mut first_cycle = None;
    let mut next_order = 0;
    // Each frame: a node and the position of the next edge to follow.
    let mut frames: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if order[root] != UNSEEN {
            continue;
        }
        order[root] = next_order;
        low[root] = next_order;
        next_order += 1;
        stack.push(root);
        on_stack[root] = true;
        frames.push((root, 0));
        while let Some(frame) = frames.last_mut() {
            let node = frame.0;
            if let Some(&next) = edges[node].get(frame.1) {
                frame.1 += 1;
                if order[next] == UNSEEN {
                    order[next] = next_order;
                    low[next] = next_order;
                    next_order += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    frames.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(order[next]);
                    if first_cycle.is_none() {
                        // Until the first edge back, every component completed was a single
                        // node and left the stack: the stack is exactly the path searched, so
                        // the cycle is the path from `next` on.
                        let start = stack.iter().rposition(|&s| s == next).unwrap_or(0);
                        first_cycle = Some(stack[start..].to_vec());
                    }
                }
                continue;
            }
            frames.pop();
            if let Some(&(caller, _)) = frames.last() {
                low[caller] = low[caller].min(low[node]);
            }
            if low[node] == order[node] {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component.push(member);
                    if member == node {
                        break;
                    }
                }
                component.sort_unstable();
                components.push(component);
            }
        }
    }
    let mut component_of = vec![0; n];
    for (i, members) in components.iter().enumerate() {
        for &node in members {
            component_of[node] = i;
        }
    }
    Search {
        components,
        component_of,
        first_cycle,
    }
}

/// Orders nodes so each comes after the nodes it depends on: the order a depth-first search
/// from each node in index order completes them, following edges in the order given. On a
/// cycle, returns the first cycle that search meets ([`Search::first_cycle`]).
pub(crate) fn topo_order(edges: &[Vec<usize>]) -> Result<Vec<usize>, Vec<usize>> {
    let found = search(edges);
    match found.first_cycle {
        Some(cycle) => Err(cycle),
        // Without a cycle, every component is a single node.
        None => Ok(found.components.into_iter().flatten().collect()),
    }
}

/// One cycle per strongly connected component of the graph that has one (a component of
/// several nodes, or a node with an edge to itself), in order of each component's first node.
/// Each cycle starts at that node and is a shortest way back to it, following edges in node
/// order, so the result is deterministic. Edges are sorted and deduplicated in place.
///
/// Reporting every elementary cycle could be exponential; one per component names every
/// circle the user has to break, and breaking it reveals any other.
pub(crate) fn find_cycles(edges: &mut [Vec<usize>]) -> Vec<Vec<usize>> {
    for targets in edges.iter_mut() {
        targets.sort_unstable();
        targets.dedup();
    }
    let edges = &*edges;
    let found = search(edges);
    let mut by_first_member: Vec<usize> = (0..found.components.len()).collect();
    by_first_member.sort_unstable_by_key(|&c| found.components[c][0]);
    let n = edges.len();
    // Scratch space for the breadth-first searches, reset after each one.
    let mut parent = vec![usize::MAX; n];
    let mut queue = Vec::new();
    let mut cycles = Vec::new();
    for component in by_first_member {
        let members = &found.components[component];
        let start = members[0];
        let self_loop = edges[start].binary_search(&start).is_ok();
        if members.len() == 1 && !self_loop {
            continue;
        }
        if self_loop {
            cycles.push(vec![start]);
            continue;
        }
        // Breadth-first search from `start` inside the component, until an edge leads back.
        queue.clear();
        queue.push(start);
        parent[start] = start;
        let mut head = 0;
        let mut last = None;
        'search: while head < queue.len() {
            let node = queue[head];
            head += 1;
            for &next in &edges[node] {
                if next == start {
                    last = Some(node);
                    break 'search;
                }
                if found.component_of[next] == component && parent[next] == usize::MAX {
                    parent[next] = node;
                    queue.push(next);
                }
            }
        }
        if let Some(mut node) = last {
            let mut cycle = vec![node];
            while node != start {
                node = parent[node];
                cycle.push(node);
            }
            cycle.reverse();
            cycles.push(cycle);
        }
        for &node in &queue {
            parent[node] = usize::MAX;
        }
    }
    cycles
}

/// A cycle as the diagnostics print it, back to its first node: `A -> B -> A`.
pub(crate) fn cycle_text<'n>(cycle: &[usize], name: impl Fn(usize) -> &'n str) -> String {
    let mut text = String::new();
    for &node in cycle.iter().chain(cycle.first()) {
        if !text.is_empty() {
            text.push_str(" -> ");
        }
        text.push_str(name(node));
    }
    text
}

/// The most edges of a cycle whose causes a diagnostic lists.
const MAX_EDGES_LISTED: usize = 8;

/// What makes each edge of a cycle (`cause(from, to)`, for each node and the next, the last and
/// the first), joined with `; `: the first [`MAX_EDGES_LISTED`], then how many more. Breaking
/// a circle means removing one of them.
pub(crate) fn edges_text(cycle: &[usize], mut cause: impl FnMut(usize, usize) -> String) -> String {
    let edges = cycle.iter().zip(cycle.iter().cycle().skip(1));
    let mut text: Vec<String> = edges
        .take(MAX_EDGES_LISTED)
        .map(|(&from, &to)| cause(from, to))
        .collect();
    if cycle.len() > MAX_EDGES_LISTED {
        text.push(format!("and {} more", cycle.len() - MAX_EDGES_LISTED));
    }
    text.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chain `0 -> 1 -> … -> n-1`, closed back to 0 when `ring`.
    fn chain(n: usize, ring: bool) -> Vec<Vec<usize>> {
        (0..n)
            .map(|i| match i + 1 {
                next if next < n => vec![next],
                _ if ring => vec![0],
                _ => vec![],
            })
            .collect()
    }

    #[test]
    fn topo_order_puts_dependencies_first_and_keeps_ties_stable() {
        assert_eq!(topo_order(&[vec![], vec![], vec![]]), Ok(vec![0, 1, 2]));
        assert_eq!(topo_order(&[vec![2], vec![], vec![1]]), Ok(vec![1, 2, 0]));
        // Edges are followed in the order given, not sorted.
        assert_eq!(topo_order(&[vec![2, 1], vec![], vec![]]), Ok(vec![2, 1, 0]));
        assert_eq!(topo_order(&[]), Ok(vec![]));
    }

    #[test]
    fn topo_order_reports_the_first_cycle_met() {
        assert_eq!(topo_order(&[vec![1], vec![2], vec![0]]), Err(vec![0, 1, 2]));
        // 0 is outside the cycle; the search enters it at 2.
        assert_eq!(topo_order(&[vec![2], vec![2], vec![1]]), Err(vec![2, 1]));
        assert_eq!(topo_order(&[vec![], vec![1]]), Err(vec![1]));
        // Of two cycles, the one the search meets first.
        let two = [vec![1], vec![0], vec![3], vec![2]];
        assert_eq!(topo_order(&two), Err(vec![0, 1]));
    }

    #[test]
    fn find_cycles_names_one_shortest_cycle_per_component() {
        // 0 <-> 1 and 1 -> 2 -> 0: one component, shortest way back from 0 is through 1.
        let mut edges = vec![vec![1], vec![2, 0, 0], vec![0], vec![3], vec![]];
        assert_eq!(find_cycles(&mut edges), vec![vec![0, 1], vec![3]]);
        assert_eq!(edges[1], vec![0, 2], "edges are sorted and deduplicated");
        // Components come in order of their first node, whatever order the search found them.
        // Here the search completes {1, 2} before {0, 3}.
        let mut edges = vec![vec![1, 3], vec![2], vec![1], vec![0]];
        assert_eq!(search(&edges).components, vec![vec![1, 2], vec![0, 3]]);
        assert_eq!(find_cycles(&mut edges), vec![vec![0, 3], vec![1, 2]]);
        assert!(find_cycles(&mut [vec![1], vec![2], vec![]]).is_empty());
    }

    #[test]
    fn a_chain_of_100_000_nodes_needs_no_deep_stack() {
        let n = 100_000;
        let order = topo_order(&chain(n, false)).unwrap();
        assert_eq!(order.len(), n);
        assert!(order.iter().rev().copied().eq(0..n), "dependencies first");
        assert!(find_cycles(&mut chain(n, false)).is_empty());

        let cycle = topo_order(&chain(n, true)).unwrap_err();
        assert!(cycle.iter().copied().eq(0..n));
        let cycles = find_cycles(&mut chain(n, true));
        assert_eq!(cycles.len(), 1);
        assert!(cycles[0].iter().copied().eq(0..n));
        let found = search(&chain(n, true));
        assert_eq!(found.components.len(), 1);
    }

    #[test]
    fn edges_text_lists_each_edge_back_to_the_first_then_how_many_more() {
        let cause = |from: usize, to: usize| format!("{from}>{to}");
        assert_eq!(edges_text(&[0, 2], cause), "0>2; 2>0");
        assert_eq!(edges_text(&[1], cause), "1>1");
        let ring: Vec<usize> = (0..10).collect();
        assert_eq!(
            edges_text(&ring, cause),
            "0>1; 1>2; 2>3; 3>4; 4>5; 5>6; 6>7; 7>8; and 2 more"
        );
    }

    #[test]
    fn cycle_text_returns_to_the_first_node() {
        let names = ["A", "B", "C"];
        assert_eq!(cycle_text(&[0, 2], |i| names[i]), "A -> C -> A");
        assert_eq!(cycle_text(&[1], |i| names[i]), "B -> B");
    }
}
