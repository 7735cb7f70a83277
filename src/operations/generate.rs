//! The `operation!` macro: from one entry of the list in `mod.rs`, an operation's three JS
//! exports with their TypeScript types: `build<Op>Request(...args, options?)`,
//! `parse<Op>Response(status, body)` and the `InstaclustrClient` method `<op>(...args,
//! options?)`. The builder and the method read their arguments with the entry's one `prepare`
//! (an [`super::args::Cx`] in build or call mode), so the two cannot drift apart.
//!
//! An entry:
//! ```text
//! /// doc of the method (the builder's and parser's docs say what they are of)
//! Endpoint jsMethod(rust_arg = jsArg: "TsType", ...; params = jsParams?: "TsType")
//!     parse <checked "TsOutput" | empty | bytes>,
//!     call <checked | empty | zip | clusters> "CallOptionsTs" -> "Promise<TsOutput>"
//!     [params from options];
//!     |cx, rust_arg, ..., params| { /* a Prepared */ }
//! ```
//! `params from options`: the method has no parameters argument and finds them in its options
//! (`listClusters({ search })`), while the builder takes them as an argument.

/// See the module documentation.
macro_rules! operation {
    // the method takes the same arguments as the builder
    (
        $(#[doc = $doc:literal])+
        $Op:ident $method:ident (
            $($arg:ident = $js:ident: $ts:literal),* $(; $p:ident = $pjs:ident ?: $pts:literal)?
        )
        parse $parse:ident $($out:literal)?,
        call $read:ident $call_ts:literal -> $ret:literal;
        |$cx:ident $(, $carg:ident)*| $prepare:block
    ) => {
        operation!(@common $(#[doc = $doc])+ $Op $method ($($arg = $js: $ts),* $(; $p = $pjs?: $pts)?)
            parse $parse $($out)?; |$cx $(, $carg)*| $prepare);

        pastey::paste! {
            #[wasm_bindgen(js_class = InstaclustrClient)]
            impl JsClient {
                $(#[doc = $doc])+
                #[wasm_bindgen(js_name = $method, unchecked_return_type = $ret)]
                pub fn [<$method:snake>](
                    &self,
                    $(#[wasm_bindgen(js_name = $js, unchecked_param_type = $ts)] $arg: JsValue,)*
                    $(#[wasm_bindgen(js_name = $pjs, unchecked_optional_param_type = $pts)] $p: Option<JsValue>,)?
                    #[wasm_bindgen(unchecked_optional_param_type = $call_ts)] options: Option<JsValue>,
                ) -> Promise {
                    $(let $p = $p.unwrap_or_default();)?
                    self.run(options, operation!(@read $read $Op), |cx| {
                        [<prepare_ $method:snake>](cx, $(&$arg,)* $(&$p)?)
                    })
                }
            }
        }
    };
    // the method finds the builder's parameters in its options
    (
        $(#[doc = $doc:literal])+
        $Op:ident $method:ident ($p:ident = $pjs:ident ?: $pts:literal)
        parse $parse:ident $($out:literal)?,
        call $read:ident $call_ts:literal -> $ret:literal params from options;
        |$cx:ident, $carg:ident| $prepare:block
    ) => {
        operation!(@common $(#[doc = $doc])+ $Op $method (; $p = $pjs?: $pts)
            parse $parse $($out)?; |$cx, $carg| $prepare);

        pastey::paste! {
            #[wasm_bindgen(js_class = InstaclustrClient)]
            impl JsClient {
                $(#[doc = $doc])+
                #[wasm_bindgen(js_name = $method, unchecked_return_type = $ret)]
                pub fn [<$method:snake>](
                    &self,
                    #[wasm_bindgen(unchecked_optional_param_type = $call_ts)] options: Option<JsValue>,
                ) -> Promise {
                    self.run(options, operation!(@read $read $Op), |cx| {
                        let params = cx.call_options.clone();
                        [<prepare_ $method:snake>](cx, &params)
                    })
                }
            }
        }
    };

    // the prepare function and the builder and parser exports
    (@common
        $(#[doc = $doc:literal])+
        $Op:ident $method:ident (
            $($arg:ident = $js:ident: $ts:literal),* $(; $p:ident = $pjs:ident ?: $pts:literal)?
        )
        parse $parse:ident $($out:literal)?;
        |$cx:ident $(, $carg:ident)*| $prepare:block
    ) => {
        pastey::paste! {
            fn [<prepare_ $method:snake>]($cx: &mut Cx<'_> $(, $carg: &JsValue)*) -> Prepared $prepare

            #[doc = "The request of `" $method "`: `{ method, url, headers, body? }`."]
            ///
            /// # Errors
            /// Throws a `ValidationError` with every violation of the arguments and the options;
            /// nothing is sent.
            #[wasm_bindgen(js_name = [<build $Op Request>], unchecked_return_type = "HttpRequest")]
            pub fn [<build_ $method:snake _request>](
                $(#[wasm_bindgen(js_name = $js, unchecked_param_type = $ts)] $arg: JsValue,)*
                $(#[wasm_bindgen(js_name = $pjs, unchecked_optional_param_type = $pts)] $p: Option<JsValue>,)?
                #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: Option<JsValue>,
            ) -> Result<JsValue, JsValue> {
                $(let $p = $p.unwrap_or_default();)?
                let mut early = Vec::new();
                let opts = crate::request_options::read(&options, &mut early);
                let none = JsValue::UNDEFINED;
                let mut cx = Cx::new(Mode::Build, &opts, crate::now_ms(), &none);
                let prepared = [<prepare_ $method:snake>](&mut cx, $(&$arg,)* $(&$p)?);
                cx.finish_build(early, prepared)
            }

            operation!(@parser $parse $Op $method $($out)?);
        }
    };

    (@parser checked $Op:ident $method:ident $out:literal) => {
        pastey::paste! {
            #[doc = "The answer of `" $method "`, checked against its model."]
            ///
            /// # Errors
            /// Throws an `ApiError` for a non-2xx status, a `DecodeError` for a malformed body, a
            /// `ValidationError` for arguments of the wrong type.
            #[wasm_bindgen(js_name = [<parse $Op Response>], unchecked_return_type = $out)]
            pub fn [<parse_ $method:snake _response>](
                #[wasm_bindgen(unchecked_param_type = "number")] status: JsValue,
                #[wasm_bindgen(unchecked_param_type = "ResponseBody")] body: JsValue,
            ) -> Result<JsValue, JsValue> {
                answer::checked::<$Op>(&status, &body)
            }
        }
    };
    (@parser empty $Op:ident $method:ident) => {
        operation!(@parser_of $Op $method, () = answer::empty,
            ["Nothing: the answer of `" $method "` has no body."]
            "Throws an `ApiError` for a non-2xx status, a `ValidationError` for arguments of the wrong type.");
    };
    (@parser bytes $Op:ident $method:ident) => {
        operation!(@parser_of $Op $method, js_sys::Uint8Array = answer::bytes,
            ["The bytes of the answer of `" $method "`, as sent."]
            "Throws an `ApiError` for a non-2xx status, a `DecodeError` for an empty body, a `ValidationError` for arguments of the wrong type.");
    };
    // a parser whose TypeScript type wasm-bindgen derives from its Rust return type
    (@parser_of $Op:ident $method:ident, $ret:ty = $parse:path, [$($doc:tt)+] $errors:literal) => {
        pastey::paste! {
            #[doc = $($doc)+]
            ///
            /// # Errors
            #[doc = $errors]
            #[wasm_bindgen(js_name = [<parse $Op Response>])]
            pub fn [<parse_ $method:snake _response>](
                #[wasm_bindgen(unchecked_param_type = "number")] status: JsValue,
                #[wasm_bindgen(unchecked_param_type = "ResponseBody")] body: JsValue,
            ) -> Result<$ret, JsValue> {
                $parse::<$Op>(&status, &body)
            }
        }
    };

    // how the client method reads the final answer
    (@read checked $Op:ident) => { crate::client::read::checked::<$Op> };
    (@read empty $Op:ident) => { crate::client::read::empty::<$Op> };
    (@read zip $Op:ident) => { crate::client::read::zip };
    (@read clusters $Op:ident) => { crate::client::read::clusters };
}
