//! Builds type expressions, including the parenthesized forms: a grouped
//! type, a function type, and the tuple of a function's return values.

use super::ast::*;
use super::build::{Builder, Result};
use super::grammar::Rule;
use crate::diag::{rules, Diagnostic};
use pest::iterators::Pair;

impl Builder<'_> {
    pub(super) fn type_expr(&self, pair: &Pair<'_, Rule>) -> Result<TypeExpr> {
        let mut inner = pair.clone().into_inner();
        let primary = inner.next().ok_or_else(|| self.malformed(pair))?;
        let start = primary.as_span().start();
        let mut ty = self.primary(&primary)?;
        for postfix in inner {
            ty = self.postfix(ty, start, &postfix)?;
        }
        Ok(ty)
    }

    /// Wraps `ty` (whose text starts at `start`) in one postfix.
    fn postfix(&self, ty: TypeExpr, start: usize, pair: &Pair<'_, Rule>) -> Result<TypeExpr> {
        let span = self.trimmed(start, pair.as_span().end());
        let kind = match pair.as_rule() {
            Rule::refinement => TypeExprKind::Refined {
                base: Box::new(ty),
                refinement: self.refinement(pair)?,
            },
            Rule::location => {
                let name = self.only(&self.child(pair, Rule::location_name)?)?;
                TypeExprKind::Located {
                    ty: Box::new(ty),
                    location: self.ident(&name),
                }
            }
            Rule::optional => TypeExprKind::Optional(Box::new(ty)),
            _ => return Err(self.malformed(pair)),
        };
        Ok(TypeExpr { kind, span })
    }

    fn refinement(&self, pair: &Pair<'_, Rule>) -> Result<Refinement> {
        Ok(Refinement {
            kind: self.refinement_body(&self.child(pair, Rule::refinement_body)?)?,
            span: self.span(pair),
        })
    }

    /// What a refinement says between its parentheses.
    pub(super) fn refinement_body(&self, pair: &Pair<'_, Rule>) -> Result<RefinementKind> {
        let body = self.only(pair)?;
        Ok(match body.as_rule() {
            Rule::range => {
                let mut min = None;
                let mut max = None;
                let mut after_dots = false;
                for p in body.into_inner() {
                    match p.as_rule() {
                        Rule::dotdot => after_dots = true,
                        Rule::number if after_dots => max = Some(self.number(&p)?),
                        Rule::number => min = Some(self.number(&p)?),
                        _ => {}
                    }
                }
                RefinementKind::Range { min, max }
            }
            Rule::kw_nonfinite => RefinementKind::NonFinite,
            Rule::number => RefinementKind::Exact(self.number(&body)?),
            _ => return Err(self.malformed(&body)),
        })
    }

    fn primary(&self, pair: &Pair<'_, Rule>) -> Result<TypeExpr> {
        let span = self.span(pair);
        let kind = match pair.as_rule() {
            Rule::paren_type => return self.paren_type(pair),
            Rule::table => {
                let mut entries = Vec::new();
                for entry in pair.clone().into_inner() {
                    if entry.as_rule() == Rule::table_entry {
                        entries.push(self.table_entry(&entry)?);
                    }
                }
                TypeExprKind::Table(entries)
            }
            Rule::metatable => {
                let mut types = pair
                    .clone()
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::type_expr);
                let (Some(table), Some(meta)) = (types.next(), types.next()) else {
                    return Err(self.malformed(pair));
                };
                TypeExprKind::Metatable {
                    table: Box::new(self.type_expr(&table)?),
                    meta: Box::new(self.type_expr(&meta)?),
                }
            }
            Rule::any_type => TypeExprKind::Any,
            Rule::inline_enum => TypeExprKind::Enum {
                tag: pair
                    .clone()
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::string)
                    .map(|p| Ident {
                        name: super::build::unescape(p.as_str()),
                        span: self.span(&p),
                    }),
                variants: self.variants(pair)?,
            },
            Rule::path => TypeExprKind::Path(
                pair.clone()
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::ident)
                    .map(|p| self.ident(&p))
                    .collect(),
            ),
            _ => return Err(self.malformed(pair)),
        };
        Ok(TypeExpr { kind, span })
    }

    fn table_entry(&self, pair: &Pair<'_, Rule>) -> Result<TableEntry> {
        let inner = self.only(pair)?;
        Ok(match inner.as_rule() {
            Rule::indexer => {
                let mut types = inner
                    .clone()
                    .into_inner()
                    .filter(|p| matches!(p.as_rule(), Rule::type_expr | Rule::set_member));
                let (Some(key), Some(value)) = (types.next(), types.next()) else {
                    return Err(self.malformed(&inner));
                };
                let value = match value.as_rule() {
                    Rule::set_member => TypeExpr {
                        kind: TypeExprKind::True,
                        span: self.span(&value),
                    },
                    _ => self.type_expr(&value)?,
                };
                TableEntry::Indexer {
                    key: self.type_expr(&key)?,
                    value,
                    span: self.span(&inner),
                }
            }
            Rule::field => TableEntry::Field(self.field(&inner)?),
            Rule::type_expr => TableEntry::Positional(self.type_expr(&inner)?),
            _ => return Err(self.malformed(&inner)),
        })
    }

    /// Reads the items of `(...)`, an optional `-> returns`, and any postfixes.
    #[allow(clippy::type_complexity)]
    fn parens<'i>(
        &self,
        pair: &Pair<'i, Rule>,
    ) -> Result<(Vec<FunctionParam>, Option<Returns>, Vec<Pair<'i, Rule>>)> {
        let mut items = Vec::new();
        let mut returns = None;
        let mut postfixes = Vec::new();
        for p in pair.clone().into_inner() {
            let p = if p.as_rule() == Rule::func_param {
                self.only(&p)?
            } else {
                p
            };
            match p.as_rule() {
                Rule::named_param => items.push(FunctionParam {
                    name: Some(self.ident(&self.child(&p, Rule::member)?)),
                    ty: self.type_expr(&self.child(&p, Rule::type_expr)?)?,
                    span: self.span(&p),
                }),
                Rule::type_expr => {
                    let ty = self.type_expr(&p)?;
                    items.push(FunctionParam {
                        name: None,
                        span: ty.span,
                        ty,
                    });
                }
                Rule::returns => returns = Some(self.returns(&p)?),
                Rule::refinement | Rule::location | Rule::optional => postfixes.push(p),
                _ => {}
            }
        }
        Ok((items, returns, postfixes))
    }

    /// `(T)` (the inner type) or a function type.
    fn paren_type(&self, pair: &Pair<'_, Rule>) -> Result<TypeExpr> {
        let (mut items, returns, _) = self.parens(pair)?;
        let union = pair
            .clone()
            .into_inner()
            .any(|p| p.as_rule() == Rule::union_bar);
        if union {
            return Ok(TypeExpr {
                kind: TypeExprKind::Union(items.into_iter().map(|item| item.ty).collect()),
                span: self.span(pair),
            });
        }
        match returns {
            Some(returns) => Ok(TypeExpr {
                kind: TypeExprKind::Function {
                    params: items,
                    returns,
                },
                span: self.span(pair),
            }),
            None if items.len() == 1 && items[0].name.is_none() => Ok(items.remove(0).ty),
            None => Err(self.malformed(pair)),
        }
    }

    pub(super) fn returns(&self, pair: &Pair<'_, Rule>) -> Result<Returns> {
        let inner = self.only(pair)?;
        if inner.as_rule() == Rule::type_expr {
            let ty = self.type_expr(&inner)?;
            return Ok(Returns {
                span: ty.span,
                types: vec![ty],
                parenthesized: false,
            });
        }
        let span = self.span(&inner);
        let (mut items, returns, postfixes) = self.parens(&inner)?;
        if let Some(returns) = returns {
            // `(A) -> B` after `->`: one function type.
            return Ok(Returns {
                types: vec![TypeExpr {
                    kind: TypeExprKind::Function {
                        params: items,
                        returns,
                    },
                    span,
                }],
                parenthesized: false,
                span,
            });
        }
        if !postfixes.is_empty() {
            // `(T)?`: a grouped type with postfixes, not a tuple.
            if items.len() != 1 || items[0].name.is_some() {
                return Err(self.malformed(&inner));
            }
            let start = inner.as_span().start();
            let mut ty = items.remove(0).ty;
            for postfix in &postfixes {
                ty = self.postfix(ty, start, postfix)?;
            }
            return Ok(Returns {
                types: vec![ty],
                parenthesized: false,
                span,
            });
        }
        let mut types = Vec::with_capacity(items.len());
        for item in items {
            if let Some(name) = item.name {
                return Err(Box::new(
                    Diagnostic::new(&rules::SYNTAX, name.span, "return values cannot be named")
                        .with_label("a name on a return value")
                        .with_help(format!(
                            "remove `{}:`, or add `-> <return type>` if this is a function type",
                            name.name
                        )),
                ));
            }
            types.push(item.ty);
        }
        Ok(Returns {
            types,
            parenthesized: true,
            span,
        })
    }
}
