use super::*;

fn stmts(text: &str) -> Vec<Stmt> {
    parse_items(text)
        .into_iter()
        .map(|i| match i.kind {
            ItemKind::Stmt(s) => s,
            other => panic!("{text:?}: {other:?}"),
        })
        .collect()
}

#[test]
fn parses_every_command_form() {
    let s = stmts(
        "create -b\nset zonepath=/zones/a\nadd net;set physical=\"a b\";end\n\
         select net physical=vnic0 address=10.0.0.1\nremove -F net\nremove rctl name=zone.max-lwps\n\
         add options [ro,\"a=b\"]\nadd value (priv=privileged,limit=100,action=deny)\n\
         set options=[]\nclear pool\ninfo net physical=x\ninfo max-lwps\nexport -f /tmp/x\n\
         create -F -t bhyve\nset -F zonepath=/x\nverify save\nexit -F\nhelp commands\n",
    );
    assert!(s.len() >= 18, "{s:?}");
    assert_eq!(
        s[0],
        Stmt::Create {
            force: false,
            from: CreateFrom::Blank
        }
    );
    assert_eq!(
        s[3],
        Stmt::Set {
            prop: Prop::Physical,
            value: Value::Simple("a b".into()),
            force: false
        }
    );
    assert_eq!(
        s[5],
        Stmt::Select(
            ResType::Net,
            vec![
                (Prop::Physical, Value::Simple("vnic0".into())),
                (Prop::Address, Value::Simple("10.0.0.1".into()))
            ]
        )
    );
    assert!(matches!(
        s[6],
        Stmt::Remove {
            force: true,
            res: ResType::Net,
            ..
        }
    ));
    assert_eq!(
        s[8],
        Stmt::AddProp(
            Prop::Options,
            Value::List(vec![
                Value::Simple("ro".into()),
                Value::Simple("a=b".into())
            ])
        )
    );
    assert_eq!(
        s[9],
        Stmt::AddProp(
            Prop::Value,
            Value::Complex(vec![
                (Prop::Priv, "privileged".into()),
                (Prop::Limit, "100".into()),
                (Prop::Action, "deny".into())
            ])
        )
    );
    assert_eq!(s[13], Stmt::Info(InfoWhat::Prop(Prop::MaxLwps)));
    assert_eq!(
        s[15],
        Stmt::Create {
            force: true,
            from: CreateFrom::Template("bhyve".into())
        }
    );
    assert!(matches!(s[16], Stmt::Set { force: true, .. }));
    assert_eq!(s[17], Stmt::Commit);
}

#[test]
fn zonepath_with_a_space_unquoted_is_a_syntax_error_at_the_second_word() {
    let items = parse_items("set zonepath=/zones/a b\n");
    // "/zones/a" then "b": no rule takes two words.
    match &items[0].kind {
        ItemKind::Syntax { near, line, .. } => {
            assert_eq!(near, "b");
            assert_eq!(*line, 1);
        }
        k => panic!("{k:?}"),
    }
}

#[test]
fn errors_recover_at_the_next_terminator() {
    let items = parse_items("bogus x; set pool=p\nadd\nset zonepath\ncommit");
    assert!(matches!(&items[0].kind, ItemKind::Syntax { near, .. } if near == "b"));
    assert!(matches!(&items[1].kind, ItemKind::Stmt(Stmt::Set { .. })));
    assert!(matches!(
        &items[2].kind,
        ItemKind::Usage {
            cmd: Cmd::Add,
            extra: UsageExtra::ResProps,
            lineno: 3
        }
    ));
    // The error token is the newline itself, seen once lex_lineno moved on.
    assert!(matches!(&items[3].kind, ItemKind::Syntax { near, line: 4, .. } if near == "\n"));
    // No newline after the last command: it never runs, and zonecfg says nothing.
    assert!(matches!(
        &items[4].kind,
        ItemKind::Syntax { at_eof: true, .. }
    ));
}

#[test]
fn getopt_handles_clusters_and_arguments() {
    let a = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
    let (o, r) = getopt(&a("-Fb x"), "?a:bFt:").unwrap();
    assert_eq!(o, [('F', None), ('b', None)]);
    assert_eq!(r, ["x"]);
    let (o, _) = getopt(&a("-tfoo"), "?a:bFt:").unwrap();
    assert_eq!(o, [('t', Some("foo".into()))]);
    assert_eq!(getopt(&a("-x"), "?F"), Err('x'));
    assert_eq!(getopt(&a("-t"), "t:"), Err('t'));
}
