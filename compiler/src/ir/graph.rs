//! Strongly connected components of the graph of declarations, for the
//! checks and models that must treat mutually recursive types as one group.

/// The strongly connected components reachable from `roots` in a graph of
/// `nodes` nodes (numbered `0..nodes`), by Tarjan's algorithm with an
/// explicit stack, so that long chains of declarations cannot overflow it.
/// Components come dependencies first: every component appears after all the
/// components it reaches. Each component's members are sorted.
pub fn components(
    nodes: usize,
    roots: impl IntoIterator<Item = usize>,
    mut successors: impl FnMut(usize) -> Vec<usize>,
) -> Vec<Vec<usize>> {
    let mut walk = Walk {
        index: vec![UNSEEN; nodes],
        low: vec![0; nodes],
        on_stack: vec![false; nodes],
        stack: Vec::new(),
        frames: Vec::new(),
        next_index: 0,
    };
    let mut found = Vec::new();
    for root in roots {
        if root >= nodes || walk.index[root] != UNSEEN {
            continue;
        }
        walk.enter(root, successors(root));
        while let Some(frame) = walk.frames.last_mut() {
            let node = frame.node;
            if let Some(&to) = frame.successors.get(frame.next) {
                frame.next += 1;
                if to >= nodes {
                    continue;
                }
                if walk.index[to] == UNSEEN {
                    walk.enter(to, successors(to));
                } else if walk.on_stack[to] {
                    walk.low[node] = walk.low[node].min(walk.index[to]);
                }
                continue;
            }
            walk.frames.pop();
            if let Some(parent) = walk.frames.last().map(|f| f.node) {
                walk.low[parent] = walk.low[parent].min(walk.low[node]);
            }
            if walk.low[node] == walk.index[node] {
                let mut component = Vec::new();
                while let Some(member) = walk.stack.pop() {
                    walk.on_stack[member] = false;
                    component.push(member);
                    if member == node {
                        break;
                    }
                }
                component.sort_unstable();
                found.push(component);
            }
        }
    }
    found
}

const UNSEEN: usize = usize::MAX;

struct Walk {
    /// Preorder number and lowlink of each node.
    index: Vec<usize>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    /// The explicit call stack.
    frames: Vec<Frame>,
    next_index: usize,
}

struct Frame {
    node: usize,
    successors: Vec<usize>,
    next: usize,
}

impl Walk {
    fn enter(&mut self, node: usize, successors: Vec<usize>) {
        self.index[node] = self.next_index;
        self.low[node] = self.next_index;
        self.next_index += 1;
        self.stack.push(node);
        self.on_stack[node] = true;
        self.frames.push(Frame {
            node,
            successors,
            next: 0,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::components;

    #[test]
    fn groups_cycles_and_orders_dependencies_first() {
        // 0 -> 1 -> 2 -> 1, 3 alone, 4 -> 4
        let edges = [vec![1], vec![2], vec![1], vec![], vec![4]];
        let found = components(5, 0..5, |n| edges[n].clone());
        assert_eq!(found, vec![vec![1, 2], vec![0], vec![3], vec![4]]);
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let n = 100_000;
        let found = components(n, [0], |i| if i + 1 < n { vec![i + 1] } else { vec![] });
        assert_eq!(found.len(), n);
        assert_eq!(found[0], vec![n - 1]);
    }
}
